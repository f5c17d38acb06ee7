{#- fct_contacts: published, contract and column docs in fct_contacts.yml. Grain: one row per contact_id. A thin
    select of the model int_contacts, where its logic lives. -#}
{{ published_select(ref('int_contacts')) }}
