{#- dim_queues: published, contract and column docs in dim_queues.yml. Grain: one row per queue_id. A thin select of
    the model int_queues, where its logic lives. -#}
{{ published_select(ref('int_queues')) }}
