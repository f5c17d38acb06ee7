{#- dim_agents: published, contract and column docs in dim_agents.yml. Grain: one row per employee_id and valid_from
    (version of the HR extract). A thin select of the model int_agent_history, where its logic lives. -#}
{{ published_select(ref('int_agent_history')) }}
