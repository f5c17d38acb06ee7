{#- fct_contact_segments: published, contract and column docs in fct_contact_segments.yml. Grain: one row per
    segment_id. A thin select of the model int_contact_segments, where its logic lives. -#}
{{ published_select(ref('int_contact_segments')) }}
