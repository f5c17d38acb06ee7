{#- History of crm/customers (full extract) as SCD2: one row per version, a new version only where
    a column other than _extracted_at changed; valid_from = the version's extract, valid_to = the
    next version's extract (null for the current one). PII dropped. -#}
with

versions as (

    select * from {{ ref('base_crm__customers') }}
    where _status = 'staged'

),

final as (

    select
        customer_id,
        {{ sb_clean_enum('segment') }} as segment,
        created_at,
        churned_at,
        {{ sb_clean_enum('churn_reason') }} as churn_reason,
        lifetime_revenue,
        currency,
        _extracted_at,
        _source_file,
        _extracted_at as valid_from,
        lead(_extracted_at) over (partition by customer_id order by _extracted_at) as valid_to,
        lead(_extracted_at) over (partition by customer_id order by _extracted_at) is null as is_current
    from versions

)

select * from final
