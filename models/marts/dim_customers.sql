{#- dim_customers: published, contract and column docs in dim_customers.yml. Grain: one row per customer_id and
    valid_from (version of the CRM extract). A thin select of the model int_customers, where its logic lives. -#}
{{ published_select(ref('int_customers')) }}
