{#-
    Audit models over every table of the landing contract (macro landing_contract()), so a new
    contract table is covered without editing them.
-#}


{#- Per landing table: rows read (counted on the landing relation itself) and how the base model
    accounted for them. -#}
{% macro staging_audit_reconciliation() %}
    {%- set sources = landing_contract().values() | list -%}
with
{% for src in sources %}
read_{{ loop.index }} as (

    select count(*) as rows_read
    from {{ source(src.system, src.name) }}

),

accounted_{{ loop.index }} as (

    select
        cast(sum(case when _status = 'staged' then _row_count else 0 end) as {{ dbt.type_bigint() }}) as rows_staged,
        cast(sum(case when _status = 'quarantined' then _row_count else 0 end) as {{ dbt.type_bigint() }}) as rows_quarantined,
        cast(sum(case when _status = 'superseded' then _row_count else 0 end) as {{ dbt.type_bigint() }}) as rows_superseded
    from {{ ref(staging_base_model(src)) }}

),
{% endfor %}
final as (
{% for src in sources %}
    select
        '{{ src.system }}/{{ src.name }}' as source_table,
        read_{{ loop.index }}.rows_read,
        coalesce(accounted_{{ loop.index }}.rows_staged, 0) as rows_staged,
        coalesce(accounted_{{ loop.index }}.rows_quarantined, 0) as rows_quarantined,
        coalesce(accounted_{{ loop.index }}.rows_superseded, 0) as rows_superseded
    from read_{{ loop.index }}
    cross join accounted_{{ loop.index }}
    {% if not loop.last %}union all{% endif %}
{%- endfor %}

)

select * from final
{%- endmacro %}


{#- Quarantined rows per landing table and rule (only the pairs that occur). -#}
{% macro staging_audit_quarantine_summary() %}
    {%- set sources = landing_contract().values() | list -%}
with
{% for src in sources %}
quarantined_{{ loop.index }} as (

    select
        '{{ src.system }}/{{ src.name }}' as source_table,
        _rule as rule,
        cast(count(*) as {{ dbt.type_bigint() }}) as rows
    from {{ ref(staging_base_model(src)) }}
    where _status = 'quarantined'
    group by _rule

),
{% endfor %}
final as (
{% for src in sources %}
    select source_table, rule, rows from quarantined_{{ loop.index }}
    {% if not loop.last %}union all{% endif %}
{%- endfor %}

)

select * from final
{%- endmacro %}
