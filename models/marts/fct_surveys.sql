{#- fct_surveys: published, contract and column docs in fct_surveys.yml. Grain: one row per response_id (latest
    version). A thin select of the model int_surveys, where its logic lives. -#}
{{ published_select(ref('int_surveys'), renamed={'extracted_at': '_extracted_at'}) }}
