{#- dim_sites: published, contract and column docs in dim_sites.yml. Grain: one row per site_id. A thin select of
    the seed sites, where its logic lives. -#}
{{ published_select(ref('sites')) }}
