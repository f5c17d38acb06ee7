{#- dim_date: published, contract and column docs in dim_date.yml. Grain: one row per date_day. A thin select of the
    model int_calendar_dates, where its logic lives. -#}
{{ published_select(ref('int_calendar_dates')) }}
