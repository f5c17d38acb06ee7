{#- rpt_qa_agents_under_min_sample: published, contract and column docs in rpt_qa_agents_under_min_sample.yml.
    Grain: one row per period_grain, period_start and agent_id. A thin select of the model int_qa_agent_sample_gaps,
    where its logic lives. -#}
{{ published_select(ref('int_qa_agent_sample_gaps')) }}
