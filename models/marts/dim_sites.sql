with sites as (
    select
        site_id,
        site_name,
        country_code,
        time_zone,
        currency
    from {{ ref('sites') }}
),

final as (
    select
        site_id,
        site_name,
        country_code,
        time_zone,
        currency
    from sites
)

select
    site_id,
    site_name,
    country_code,
    time_zone,
    currency
from final
