{#- One row per staged follow-up (its current version): dated by due_at in the owner's time zone (the site of the
    owner's HR version as of due_at's UTC date; var center_time_zone without one), placed at the owner's site and
    team as of that local date, with the compliance flags: is_due (due_at at or before the follow-ups' as-of
    instant, the latest _extracted_at of any staged follow-up: later ones are not due yet and count nowhere),
    is_completed, is_on_time (completed at or before due_at, the exact due instant included) and is_key_account
    (the customer's CRM segment as of due_at is key_account). -#}
with

follow_ups as (

    select
        follow_up_id,
        follow_up_type,
        case_id,
        customer_id,
        owner_agent_id,
        created_at,
        due_at,
        completed_at
    from {{ ref('stg_crm__follow_ups') }}

),

as_of as (

    select max(_extracted_at) as as_of_at
    from {{ ref('stg_crm__follow_ups') }}

),

sites as (

    select
        site_id,
        time_zone
    from {{ ref('sites') }}

),

customers as (

    select
        customer_id,
        segment,
        valid_from,
        valid_to,
        row_number() over (partition by customer_id order by valid_from) as version_number
    from {{ ref('stg_crm__customers') }}

),

-- the time zone of the owner's site in the HR version as of due_at's UTC date
zoned as (

    select
        follow_ups.follow_up_id,
        max(sites.time_zone) as time_zone
    from follow_ups
    {{ agent_as_of('inner', 'follow_ups.owner_agent_id', 'cast(follow_ups.due_at as date)') }}
    inner join sites
        on history.site_id = sites.site_id
    group by follow_ups.follow_up_id

),

-- the customer's segment as of due_at, else (due before the first CRM extract) its earliest version
key_accounts as (

    select
        follow_ups.follow_up_id,
        max(
            case
                when
                    customers.valid_from <= follow_ups.due_at
                    and (customers.valid_to is null or follow_ups.due_at < customers.valid_to) then 1
                when customers.version_number = 1 and follow_ups.due_at < customers.valid_from then 1
                else 0
            end * case when customers.segment = 'key_account' then 1 else 0 end
        ) as is_key_account
    from follow_ups
    inner join customers
        on follow_ups.customer_id = customers.customer_id
    group by follow_ups.follow_up_id

),

dated as (

    select
        follow_ups.follow_up_id,
        follow_ups.follow_up_type,
        follow_ups.case_id,
        follow_ups.customer_id,
        follow_ups.owner_agent_id,
        follow_ups.created_at,
        follow_ups.due_at,
        follow_ups.completed_at,
        {{ sb_local_date('follow_ups.due_at', 'zoned.time_zone') }} as due_local_date,
        coalesce(key_accounts.is_key_account, 0) = 1 as is_key_account,
        follow_ups.due_at <= as_of.as_of_at as is_due,
        as_of.as_of_at
    from follow_ups
    cross join as_of
    left join zoned
        on follow_ups.follow_up_id = zoned.follow_up_id
    left join key_accounts
        on follow_ups.follow_up_id = key_accounts.follow_up_id

),

final as (

    select
        dated.follow_up_id,
        dated.follow_up_type,
        dated.case_id,
        dated.customer_id,
        dated.owner_agent_id,
        dated.created_at,
        dated.due_at,
        dated.completed_at,
        dated.due_local_date,
        history.site_id,
        history.team_id,
        dated.is_key_account,
        dated.is_due,
        dated.completed_at is not null as is_completed,
        coalesce(dated.completed_at <= dated.due_at, false) as is_on_time,
        dated.as_of_at
    from dated
    {{ agent_as_of('left', 'dated.owner_agent_id', 'dated.due_local_date') }}

)

select
    follow_up_id,
    follow_up_type,
    case_id,
    customer_id,
    owner_agent_id,
    created_at,
    due_at,
    completed_at,
    due_local_date,
    site_id,
    team_id,
    is_key_account,
    is_due,
    is_completed,
    is_on_time,
    as_of_at
from final
