{#- Orphan checks (bad-row rule orphan_reference): where a reference's parent keys are read from. -#}


{#- Relation and key column of an orphan check's parent ("seed:<seed>" or "<system>/<table>"). -#}
{% macro staging_parent(reference) %}
    {% if reference.parent.startswith('seed:') %}
        {% set seed = reference.parent[5:] %}
        {{ return({'relation': ref(seed), 'key': reference.column}) }}
    {% else %}
        {% set system, table = reference.parent.split('/') %}
        {% set parent_meta = staging_contract_table(system, table) %}
        {#- the parent's base model holds every row received (valid, quarantined or superseded):
            the same keys as its landing table, read once from a table instead of re-reading files -#}
        {{ return({'relation': ref('base_' ~ system ~ '__' ~ table), 'key': parent_meta.key[0]}) }}
    {% endif %}
{% endmacro %}
