{#- fct_quality_evaluations: published, contract and column docs in fct_quality_evaluations.yml. Grain: one row per
    evaluation_id. A thin select of the model int_quality_evaluations, where its logic lives. -#}
{{ published_select(ref('int_quality_evaluations')) }}
