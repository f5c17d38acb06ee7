{#- fct_cases: published, contract and column docs in fct_cases.yml. Grain: one row per case_id (latest version). A
    thin select of the model int_cases, where its logic lives. -#}
{{ published_select(ref('int_cases'), renamed={'extracted_at': '_extracted_at'}) }}
