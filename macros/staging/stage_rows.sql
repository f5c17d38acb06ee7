{#-
    Staging classification, driven by the landing contract: the meta of macro landing_contract(),
    generated from switchboard/contract.py together with the sources YAML (dbt's graph.sources is
    empty at parse time and in unit tests, so it cannot drive SQL that must declare dependencies).

    stage_classified_rows(source_name, table_name) selects every raw row of one landing table,
    exactly once, with its contract columns as received (typed by the landing view) and:
      _row_hash    SHA-256 of all contract columns as text (last tie-break of deduplication),
      _rule        the first bad-row rule the row breaks, in contract order, else null,
      _rule_column the column that broke it (key column, unparseable column, ...), else null,
      _status      'quarantined' (it breaks a rule), 'superseded' (another valid row of its key
                   wins) or 'staged'.
    Rules (contract order): null_key, unparseable_value, unknown_value, out_of_range, time_order,
    future_timestamp, orphan_reference. A row with a null _extracted_at that was not unparseable
    counts as null_key (a version cannot be ordered without it; see DECISIONS.md).
    Dedup among valid rows of a key: latest _extracted_at, then _source_file sorting last, then
    highest _row_hash. Full extracts keep one row per key and extract (same ranking) and stage it
    only where a column other than _extracted_at changed versus the key's previous extract.

    Orphan checks look a reference up in every key the parent received: the parent's base model
    (all its raw rows, whatever their status) or the seed; skipped when the parent has no rows.
-#}


{#- Contract meta of one landing table (macro landing_contract(), generated from contract.py). -#}
{% macro staging_contract_table(source_name, table_name) %}
    {% set contract = landing_contract() %}
    {% set table_id = source_name ~ '/' ~ table_name %}
    {% if table_id not in contract %}
        {{ exceptions.raise_compiler_error('staging: ' ~ table_id ~ ' is not a table of the landing contract') }}
    {% endif %}
    {{ return(contract[table_id]) }}
{% endmacro %}


{#- Ordered list of (rule, column, condition) checks of one landing table. -#}
{% macro staging_rule_checks(meta) %}
    {% set columns = meta.columns %}
    {% set checks = [] %}

    {#- null_key: a key column is empty (not unparseable: that is the next rule); a missing
        _extracted_at also counts, as the version key -#}
    {% for key in meta.key %}
        {% do checks.append(('null_key', key,
            'src.' ~ key ~ " is null and coalesce(src._unparseable_column, '') <> '" ~ key ~ "'")) %}
    {% endfor %}
    {% do checks.append(('null_key', '_extracted_at',
        "src._extracted_at is null and coalesce(src._unparseable_column, '') <> '_extracted_at'")) %}

    {% do checks.append(('unparseable_value', 'src._unparseable_column', 'src._unparseable_column is not null')) %}

    {% for col in columns if col.get('enum') %}
        {% set quoted = [] %}
        {% for value in col.enum %}{% do quoted.append("'" ~ value ~ "'") %}{% endfor %}
        {% do checks.append(('unknown_value', col.name,
            'src.' ~ col.name ~ ' is not null and ' ~ sb_clean_enum('src.' ~ col.name)
            ~ ' not in (' ~ quoted | join(', ') ~ ')')) %}
    {% endfor %}

    {% for col in columns if col.get('min') is not none or col.get('max') is not none %}
        {% set parts = [] %}
        {% if col.get('min') is not none %}{% do parts.append('src.' ~ col.name ~ ' < ' ~ col.min) %}{% endif %}
        {% if col.get('max') is not none %}{% do parts.append('src.' ~ col.name ~ ' > ' ~ col.max) %}{% endif %}
        {% do checks.append(('out_of_range', col.name, '(' ~ parts | join(' or ') ~ ')')) %}
    {% endfor %}

    {% for pair in meta.get('time_order', []) %}
        {% do checks.append(('time_order', pair[1], 'src.' ~ pair[1] ~ ' < src.' ~ pair[0])) %}
    {% endfor %}

    {% for col in meta.get('future_checked', []) %}
        {% do checks.append(('future_timestamp', col, 'src.' ~ col ~ ' > src._extracted_at')) %}
    {% endfor %}

    {% for ref_ in meta.get('references', []) %}
        {% set n = loop.index %}
        {% do checks.append(('orphan_reference', ref_.column,
            'src.' ~ ref_.column ~ ' is not null and parent_' ~ n ~ '.parent_key is null'
            ~ ' and parent_' ~ n ~ '_size.parent_rows > 0')) %}
    {% endfor %}
    {{ return(checks) }}
{% endmacro %}


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


{#- [a, b, c] -> [a, '|', b, '|', c], for dbt.concat. -#}
{% macro staging_interleave(parts) %}
    {% set out = [] %}
    {% for part in parts %}
        {% if not loop.first %}{% do out.append("'|'") %}{% endif %}
        {% do out.append(part) %}
    {% endfor %}
    {{ return(out) }}
{% endmacro %}


{% macro stage_classified_rows(source_name, table_name) %}
    {%- set meta = staging_contract_table(source_name, table_name) -%}
    {%- set kind = meta.get('kind', 'event') -%}
    {%- set names = meta.columns | map(attribute='name') | list -%}
    {%- set keys = meta.key -%}
    {%- set checks = staging_rule_checks(meta) -%}
    {%- set references = meta.get('references', []) -%}
    {%- set hashed = [] -%}
    {%- set content = [] -%}
    {%- for name in names -%}
        {%- do hashed.append("coalesce(" ~ sb_as_text('src.' ~ name) ~ ", '<null>')") -%}
        {%- if name != '_extracted_at' -%}
            {%- do content.append("coalesce(" ~ sb_as_text('src.' ~ name) ~ ", '<null>')") -%}
        {%- endif -%}
    {%- endfor -%}

with

source_rows as (

    select * from {{ source(source_name, table_name) }}

),
{% for reference in references %}
{%- set parent = staging_parent(reference) %}
parent_{{ loop.index }} as (

    select distinct {{ parent.key }} as parent_key
    from {{ parent.relation }}
    where {{ parent.key }} is not null

),

parent_{{ loop.index }}_size as (

    select count(*) as parent_rows
    from {{ parent.relation }}

),
{% endfor %}
classified as (

    select
        {%- for name in names %}
        src.{{ name }},
        {%- endfor %}
        src._source_file,
        src._unparseable_column,
        src._unparseable_value,
        {{ sb_hash_text(dbt.concat(staging_interleave(hashed))) }} as _row_hash,
        {%- if kind == 'full_extract' %}
        {{ sb_hash_text(dbt.concat(staging_interleave(content))) }} as _content_hash,
        {%- endif %}
        case
            {%- for rule, column, condition in checks %}
            when {{ condition }} then '{{ rule }}'
            {%- endfor %}
        end as _rule,
        case
            {%- for rule, column, condition in checks %}
            when {{ condition }} then {{ column if column.startswith('src.') else "'" ~ column ~ "'" }}
            {%- endfor %}
        end as _rule_column
    from source_rows as src
    {%- for reference in references %}
    left join parent_{{ loop.index }}
        on src.{{ reference.column }} = parent_{{ loop.index }}.parent_key
    cross join parent_{{ loop.index }}_size
    {%- endfor %}

),

ranked as (

    select
        classified.*,
        case when _rule is null then 1 else 0 end as _is_valid,
        row_number() over (
            partition by
                {%- for key in keys %} {{ key }},{% endfor %}
                case when _rule is null then 1 else 0 end
                {%- if kind == 'full_extract' %}, _extracted_at{% endif %}
            order by _extracted_at desc, _source_file desc, _row_hash desc
        ) as _rank
    from classified

),
{% if kind == 'full_extract' %}
versioned as (

    select
        ranked.*,
        lag(_content_hash) over (
            partition by
                {%- for key in keys %} {{ key }},{% endfor %}
                _is_valid,
                case when _rank = 1 then 1 else 0 end
            order by _extracted_at
        ) as _previous_content_hash
    from ranked

),
{% endif %}
final as (

    select
        {%- for name in names %}
        {{ name }},
        {%- endfor %}
        _source_file,
        _unparseable_column,
        _unparseable_value,
        _row_hash,
        _rule,
        _rule_column,
        case
            when _is_valid = 0 then 'quarantined'
            when _rank > 1 then 'superseded'
            {%- if kind == 'full_extract' %}
            when _previous_content_hash = _content_hash then 'superseded'
            {%- endif %}
            else 'staged'
        end as _status
    from {{ 'versioned' if kind == 'full_extract' else 'ranked' }}

)

select * from final
{%- endmacro %}
