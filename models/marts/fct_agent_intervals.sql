{#- fct_agent_intervals: published, contract and column docs in fct_agent_intervals.yml. Grain: one row per agent_id
    and interval_start. A thin select of the model int_agent_intervals, where its logic lives. -#}
{{ published_select(ref('int_agent_intervals')) }}
