{#- fct_staffing_intervals: published, contract and column docs in fct_staffing_intervals.yml. Grain: one row per
    site_id, line_of_business and interval_start. A thin select of the model int_staffing_intervals, where its logic
    lives. -#}
{{ published_select(ref('int_staffing_intervals')) }}
