{#- Daily KPI input rows (docs/kpi-definitions.md, Compliance) of the follow-up KPIs, from int_compliance_follow_ups
    (follow-ups due at or before the follow-ups' as-of instant, dated by the due_at local date, at the owner's
    site and team as of that date):
      feedback_timeliness_rate  feedback_reply completed at or before due_at / feedback_reply due
      handoff_timeliness_rate   info_handoff completed at or before due_at / info_handoff due
      callback_completion_rate  customer_callback completed (at any time) / customer_callback due
      key_account_callbacks     customer_callback of key-account customers completed (a count)
    Expanded to site, team, agent and center. -#}
with

follow_ups as (

    select
        follow_up_type,
        owner_agent_id as agent_id,
        due_local_date as local_date,
        site_id,
        team_id,
        is_key_account,
        is_completed,
        is_on_time
    from {{ ref('int_compliance_follow_ups') }}
    where is_due

),

agent_rows as (

    select
        case
            when follow_up_type = 'feedback_reply' then 'feedback_timeliness_rate'
            else 'handoff_timeliness_rate'
        end as kpi_name,
        local_date,
        'all' as breakdown_type,
        'all' as breakdown_id,
        cast(case when is_on_time then 1 else 0 end as double) as numerator,
        cast(1 as double) as denominator,
        cast(1 as {{ dbt.type_bigint() }}) as sample_size,
        site_id,
        team_id,
        agent_id
    from follow_ups
    where follow_up_type in ('feedback_reply', 'info_handoff')
    union all
    select
        'callback_completion_rate' as kpi_name,
        local_date,
        'all' as breakdown_type,
        'all' as breakdown_id,
        cast(case when is_completed then 1 else 0 end as double) as numerator,
        cast(1 as double) as denominator,
        cast(1 as {{ dbt.type_bigint() }}) as sample_size,
        site_id,
        team_id,
        agent_id
    from follow_ups
    where follow_up_type = 'customer_callback'
    union all
    select
        'key_account_callbacks' as kpi_name,
        local_date,
        'all' as breakdown_type,
        'all' as breakdown_id,
        cast(1 as double) as numerator,
        cast(null as double) as denominator,
        cast(1 as {{ dbt.type_bigint() }}) as sample_size,
        site_id,
        team_id,
        agent_id
    from follow_ups
    where follow_up_type = 'customer_callback' and is_key_account and is_completed

),

expanded as (

    {{ kpi_expand_scopes(
        'agent_rows',
        [['site', 'site_id'], ['team', 'team_id'], ['agent', 'agent_id']],
        with_currency=false,
    ) }}

),

final as (

    select
        kpi_name,
        local_date,
        scope_type,
        scope_id,
        breakdown_type,
        breakdown_id,
        numerator,
        denominator,
        sample_size,
        currency
    from expanded
    where sample_size > 0

)

{{ kpi_input_select() }}
