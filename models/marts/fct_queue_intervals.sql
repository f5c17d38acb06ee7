{#- fct_queue_intervals: published, contract and column docs in fct_queue_intervals.yml. Grain: one row per queue_id
    and interval_start. A thin select of the model int_queue_intervals, where its logic lives. -#}
{{ published_select(ref('int_queue_intervals')) }}
