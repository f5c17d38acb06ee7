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

{%- set agent_kpis = [
    {'kpi_sql': "case when follow_up_type = 'feedback_reply' then 'feedback_timeliness_rate'"
            ~ " else 'handoff_timeliness_rate' end",
        'source': 'follow_ups', 'filter': "follow_up_type in ('feedback_reply', 'info_handoff')",
        'numerator': 'case when is_on_time then 1 else 0 end'},
    {'kpi': 'callback_completion_rate', 'source': 'follow_ups', 'filter': "follow_up_type = 'customer_callback'",
        'numerator': 'case when is_completed then 1 else 0 end'},
    {'kpi': 'key_account_callbacks', 'source': 'follow_ups',
        'filter': "follow_up_type = 'customer_callback' and is_key_account and is_completed",
        'numerator': '1', 'denominator': 'null'},
] %}

{{ kpi_events_input(agent_kpis, kpi_scopes('agent'), 'sample_size > 0', with_currency=false) }}
