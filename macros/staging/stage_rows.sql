{#-
    Staging classification, driven by the landing contract: the meta of macro landing_contract(),
    generated from switchboard/contract.py together with the sources YAML (dbt's graph.sources is
    empty at parse time and in unit tests, so it cannot drive SQL that must declare dependencies).

    stage_classified_rows(source_name, table_name) selects every raw row of one landing table,
    exactly once, with its contract columns as received (typed by the landing view) and:
      _row_hash    the engine's hash of all contract columns as typed (sb_row_hash: row identity, equality only),
      _rule        the first bad-row rule the row breaks, in contract order, else null,
      _rule_column the column that broke it (key column, unparseable column, ...), else null,
      _status      'quarantined' (it breaks a rule), 'superseded' (another valid row of its key
                   wins) or 'staged'.
    Rules (contract order): null_key, unparseable_value, unknown_value, out_of_range, time_order,
    future_timestamp, orphan_reference. A row with a null _extracted_at that was not unparseable
    counts as null_key (a version cannot be ordered without it; see docs/decisions/).
    Dedup among valid rows of a key: latest _extracted_at, then _source_file sorting last, then the
    highest SHA-256 of all contract columns as text (the contract's content hash; computed only for the rows
    that share the first place on extract and file, which is where it decides: `tied_first`). Full extracts
    keep one row per key and extract (same ranking) and stage it only where a column other than _extracted_at
    changed versus the key's previous extract, compared by _content_hash, the engine's hash of the typed
    columns (sb_row_hash; equality only, so the outcome is the same on every engine).

    A full extract stores only the versions: the unchanged repeats of a file are one row per file and extract
    (_status 'superseded', key and contract columns null, _row_count the number of rows it stands for); every
    other row has _row_count 1, so rows read = sum(_row_count) by status. Incremental runs (DuckDB): see
    macros/staging/increments.sql; this macro reads only the files not processed before plus the rows held for
    the keys they touch (and the keys of rows to re-check) when staging_increment_plan says 'delta'.

    Orphan checks look a reference up in every key the parent received: the parent's base model
    (all its raw rows, whatever their status) or the seed; skipped when the parent has no rows.
-#}


{% macro stage_classified_rows(source_name, table_name) %}
    {%- set meta = staging_contract_table(source_name, table_name) -%}
    {%- set kind = meta.get('kind', 'event') -%}
    {%- set names = meta.columns | map(attribute='name') | list -%}
    {%- set keys = meta.key -%}
    {%- set checks = staging_rule_checks(meta) -%}
    {%- set references = meta.get('references', []) -%}
    {%- set typed = [] -%}
    {%- set as_text = [] -%}
    {%- set content = [] -%}
    {%- for name in names -%}
        {%- do typed.append('src.' ~ name) -%}
        {%- do as_text.append("coalesce(" ~ sb_as_text(name) ~ ", '<null>')") -%}
        {%- if name != '_extracted_at' -%}
            {%- do content.append('src.' ~ name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set partition -%}
        {%- for key in keys %} {{ key }},{% endfor %}
                case when _rule is null then 1 else 0 end
                {%- if kind == 'full_extract' %}, _extracted_at{% endif %}
    {%- endset -%}

    {%- set plan = staging_increment_plan(meta, announce=true) -%}
    {%- set landing_columns = names + ['_source_file', '_unparseable_column', '_unparseable_value'] -%}
with
{% if plan.mode == 'delta' %}
new_rows as (

    select {{ landing_columns | join(', ') }}
    from {{ staging_new_files_relation(source_name, table_name) }}

),

touched_keys as (

    select {{ keys | join(', ') }}
    from new_rows
    where {% for key in keys %}{{ key }} is not null{% if not loop.last %} and {% endif %}{% endfor %}
    union
    select {{ keys | join(', ') }}
    from {{ this }}
    where _rule in ('{{ staging_recheck_rules() | join("', '") }}')

),

held_rows as (

    select
        {%- for name in landing_columns %}
        held.{{ name }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ this }} as held
    inner join touched_keys
        on {% for key in keys %}held.{{ key }} = touched_keys.{{ key }}{% if not loop.last %} and {% endif %}{% endfor %}

),

source_rows as (

    select {{ landing_columns | join(', ') }} from new_rows
    union all
    select {{ landing_columns | join(', ') }} from held_rows

),
{% else %}
source_rows as (

    select * from {{ source(source_name, table_name) }}

),
{% endif %}
{%- for reference in references %}
{%- set parent = staging_parent(reference) %}
parent_{{ loop.index }} as (

    select distinct {{ parent.key }} as parent_key
    from {{ parent.relation }}
    where {{ parent.key }} is not null
    {%- if plan.mode == 'delta' %}
        and {{ parent.key }} in (select {{ reference.column }} from source_rows)
    {%- endif %}

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
        {{ sb_row_hash(typed) }} as _row_hash,
        {%- if kind == 'full_extract' %}
        {{ sb_row_hash(content) }} as _content_hash,
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

ordered as (

    select
        classified.*,
        case when _rule is null then 1 else 0 end as _is_valid,
        rank() over (
            partition by {{ partition }}
            order by _extracted_at desc, _source_file desc
        ) as _order_rank,
        count(*) over (
            partition by {{ partition }}
            order by _extracted_at desc, _source_file desc
        ) as _rows_through_peers
    from classified

),

tied_first as (

    select
        ordered.*,
        row_number() over (
            partition by {{ partition }}
            order by {{ sb_hash_text(dbt.concat(staging_interleave(as_text))) }} desc
        ) as _rank
    from ordered
    where _order_rank = 1 and _rows_through_peers > 1

),

ranked as (

    select
        ordered.*,
        _order_rank as _rank
    from ordered
    where _order_rank > 1 or _rows_through_peers = 1
    union all
    select * from tied_first

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
{%- if kind == 'full_extract' %}
repeats as (

    select
        _source_file,
        _extracted_at,
        cast(count(*) as {{ dbt.type_bigint() }}) as _row_count
    from versioned
    where _is_valid = 1 and _rank = 1 and _previous_content_hash is not null and _previous_content_hash = _content_hash
    group by _source_file, _extracted_at

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
            else 'staged'
        end as _status,
        cast(1 as {{ dbt.type_bigint() }}) as _row_count
    from {{ 'versioned' if kind == 'full_extract' else 'ranked' }}
    {%- if kind == 'full_extract' %}
    where not (_is_valid = 1 and _rank = 1 and _previous_content_hash is not null and _previous_content_hash = _content_hash)
    union all
    select
        {%- for name in names %}
        {{ '_extracted_at' if name == '_extracted_at' else 'null' }} as {{ name }},
        {%- endfor %}
        _source_file,
        cast(null as {{ dbt.type_string() }}) as _unparseable_column,
        cast(null as {{ dbt.type_string() }}) as _unparseable_value,
        null as _row_hash,
        cast(null as {{ dbt.type_string() }}) as _rule,
        cast(null as {{ dbt.type_string() }}) as _rule_column,
        'superseded' as _status,
        _row_count
    from repeats
    {%- endif %}

)

select * from final
{%- endmacro %}


{#-
    stage_clean_rows(source_name, table_name): the generated stg_ model of a landing table that only types and
    cleans: its staged rows (one per key; for a full extract one per version), every contract column in contract
    order with enumerations trimmed and lower-cased, then _source_file. PII columns are dropped (a table that must
    keep a derived form of one, a hash or a flag, gets a hand-written stg_ model). A full extract's versions get
    SCD2 validity: valid_from = the version's extract, valid_to = the next version's (null for the current one).
    A hand-written stg_ model with a little logic calls it too, with
      instead: {pii column: SQL expression with alias} put in the dropped column's place, and
      extra:   [SQL expressions with alias] after _source_file.
-#}
{% macro stage_clean_rows(source_name, table_name, instead={}, extra=[]) %}
    {%- set meta = staging_contract_table(source_name, table_name) -%}
    {%- set columns = [] -%}
    {%- for col in meta.columns -%}
        {%- if col.name in instead -%}
            {%- do columns.append(instead[col.name]) -%}
        {%- elif not col.get('pii') -%}
            {%- do columns.append(sb_clean_enum(col.name) ~ ' as ' ~ col.name if col.get('enum') else col.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do columns.append('_source_file') -%}
    {%- do columns.extend(extra) -%}
    {%- if meta.kind == 'full_extract' -%}
        {%- set next_extract = 'lead(_extracted_at) over (partition by ' ~ meta.key | join(', ') ~ ' order by _extracted_at)' -%}
        {%- do columns.append('_extracted_at as valid_from') -%}
        {%- do columns.append(next_extract ~ ' as valid_to') -%}
        {%- do columns.append(next_extract ~ ' is null as is_current') -%}
    {%- endif -%}
    {{ staging_rows_with_status(meta, 'staged', columns) }}
{%- endmacro %}


{#-
    quarantine_rows(source_name, table_name): the quarantined rows of a landing table with the rule broken,
    the column that broke it, the extract time and file, and the original values: text PII as a salted hash
    (<column>_hash), other PII dropped (and its unparseable text masked), so data_quality holds no clear PII.
-#}
{% macro quarantine_rows(source_name, table_name) %}
    {%- set meta = staging_contract_table(source_name, table_name) -%}
    {%- set masked = [] -%}
    {%- for col in meta.columns if col.get('pii') and col.contract_type != 'str' -%}
        {%- do masked.append("'" ~ col.name ~ "'") -%}
    {%- endfor -%}
    {%- set columns = ['_rule', '_rule_column', '_extracted_at', '_source_file', '_unparseable_column'] -%}
    {%- if masked -%}
        {%- do columns.append("case when _unparseable_column in (" ~ masked | join(', ')
            ~ ") then '<pii>' else _unparseable_value end as _unparseable_value") -%}
    {%- else -%}
        {%- do columns.append('_unparseable_value') -%}
    {%- endif -%}
    {%- for col in meta.columns if col.name != '_extracted_at' and not (col.get('pii') and col.contract_type != 'str') -%}
        {%- do columns.append(sb_pii_hash(col.name) ~ ' as ' ~ col.name ~ '_hash' if col.get('pii') else col.name) -%}
    {%- endfor -%}
    {{ staging_rows_with_status(meta, 'quarantined', columns) }}
{%- endmacro %}


{#- The rows of a base model with one _status, as the given column expressions (one per line): the shared shape
    of the generated stg_ and quarantine_ models. -#}
{% macro staging_rows_with_status(meta, status, columns) -%}
with

{{ status }} as (

    select * from {{ ref(staging_base_model(meta)) }}
    where _status = '{{ status }}'

),

final as (

    select
        {{ columns | join(',\n        ') }}
    from {{ status }}

)

select * from final
{%- endmacro %}
