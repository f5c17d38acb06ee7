{#- Daily KPI input rows (KPI interface daily format, every scope computed here) of the interval side of
    the operational family:
    - peak_interval_contacts: the most offers in one interval of the day, per scope (max);
    - forecast_accuracy: Σ offers − Σ |offers − forecast| over / Σ offers, per inbound queue interval with an
      offer or a forecast (a missing side counts 0); errors are taken per queue interval and summed; a day of a
      scope with forecasts but no offer keeps its row (sample size 0, numerator = − its forecast error), so its
      week and month count that error (the day itself has no published row);
    - aht_forecast_accuracy: Σ h·aht − Σ h·|aht − forecast AHT| over / Σ h·aht (= Σ handle time), per
      inbound queue interval with h > 0 handled segments (a missing forecast AHT counts 0);
    - required_agent_hours, scheduled_agent_hours, understaffed_interval_share: from the staffing cells
      (site x line of business x interval), site and center scope, breakdown line_of_business and all;
      a cell is understaffed when scheduled < required, the share's denominator is cells with offers. -#}
with

scope_offers as (

    select
        scope_type,
        scope_id,
        local_date,
        offers
    from {{ ref('int_queue_interval_scope_offers') }}

),

peak as (

    select
        'peak_interval_contacts' as kpi_name,
        local_date,
        scope_type,
        scope_id,
        'all' as breakdown_type,
        'all' as breakdown_id,
        cast(max(offers) as double) as numerator,
        cast(null as double) as denominator,
        count(*) as sample_size
    from scope_offers
    group by local_date, scope_type, scope_id

),

queue_intervals as (

    select
        queue_intervals.queue_id,
        queue_intervals.site_id,
        queue_intervals.channel,
        queue_intervals.local_date,
        queue_intervals.offers,
        queue_intervals.forecast_contacts,
        queue_intervals.handled_segments,
        queue_intervals.sum_handle_s,
        queue_intervals.forecast_aht_s
    from {{ ref('int_queue_intervals') }} as queue_intervals
    inner join {{ ref('int_queues') }} as queues on queue_intervals.queue_id = queues.queue_id
    where not queues.is_outbound

),

accuracy_rows as (

    select
        'forecast_accuracy' as kpi_name,
        queue_id,
        site_id,
        channel,
        local_date,
        cast(offers as double)
        - abs(offers - coalesce(forecast_contacts, 0)) as numerator,
        cast(offers as double) as denominator,
        offers as sample_size,
        'all' as breakdown_type,
        'all' as breakdown_id
    from queue_intervals
    where offers > 0 or forecast_contacts is not null
    union all
    select
        'aht_forecast_accuracy' as kpi_name,
        queue_id,
        site_id,
        channel,
        local_date,
        cast(sum_handle_s as double)
        - abs(sum_handle_s - handled_segments * coalesce(forecast_aht_s, 0)) as numerator,
        cast(sum_handle_s as double) as denominator,
        handled_segments as sample_size,
        'all' as breakdown_type,
        'all' as breakdown_id
    from queue_intervals
    where handled_segments > 0

),

accuracy as (

    {{ kpi_expand_scopes(
        'accuracy_rows',
        [['site', 'site_id'], ['channel', 'channel'], ['queue', 'queue_id']],
        with_currency=false,
    ) }}

),

staffing_cells as (

    select
        site_id,
        line_of_business,
        local_date,
        offers,
        required_agents,
        scheduled_agents
    from {{ ref('int_staffing_intervals') }}

),

staffing_rows as (

    select
        'required_agent_hours' as kpi_name,
        site_id,
        line_of_business,
        local_date,
        required_agents * {{ sb_interval_minutes() }} / 60 as numerator,
        cast(null as double) as denominator,
        case when required_agents > 0 then 1 else 0 end as sample_size
    from staffing_cells
    union all
    select
        'scheduled_agent_hours' as kpi_name,
        site_id,
        line_of_business,
        local_date,
        scheduled_agents * {{ sb_interval_minutes() }} / 60 as numerator,
        cast(null as double) as denominator,
        case when scheduled_agents > 0 then 1 else 0 end as sample_size
    from staffing_cells
    union all
    select
        'understaffed_interval_share' as kpi_name,
        site_id,
        line_of_business,
        local_date,
        case when offers > 0 and scheduled_agents < required_agents then 1.0 else 0.0 end as numerator,
        case when offers > 0 then 1.0 else 0.0 end as denominator,
        case when offers > 0 then 1 else 0 end as sample_size
    from staffing_cells

),

staffing_breakdowns as (

    {{ op_with_breakdown('staffing_rows', 'line_of_business', 'line_of_business', [
        'kpi_name', 'site_id', 'local_date', 'numerator', 'denominator', 'sample_size',
    ]) }}

),

staffing as (

    {{ kpi_expand_scopes('staffing_breakdowns', [['site', 'site_id']], with_currency=false) }}

),

unioned as (

    select
        kpi_name,
        local_date,
        scope_type,
        scope_id,
        breakdown_type,
        breakdown_id,
        numerator,
        denominator,
        sample_size
    from peak
    union all
    select
        kpi_name,
        local_date,
        scope_type,
        scope_id,
        breakdown_type,
        breakdown_id,
        numerator,
        denominator,
        sample_size
    from accuracy
    union all
    select
        kpi_name,
        local_date,
        scope_type,
        scope_id,
        breakdown_type,
        breakdown_id,
        numerator,
        denominator,
        sample_size
    from staffing

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
        cast(null as {{ dbt.type_string() }}) as currency
    from unioned
    where
        sample_size > 0
        -- a forecast for a day without offers is an error its week and month must count
        or (kpi_name = 'forecast_accuracy' and numerator != 0)

)

{{ kpi_input_select() }}
