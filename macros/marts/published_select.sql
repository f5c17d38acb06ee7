{#-
    The select of a published mart: the mart's contract (its YAML columns, in their order) read from
    `relation`, every column cast to its declared data_type as this engine spells it (sb_engine_type), so
    DuckDB and Spark both yield exactly the contract and no column list is written twice. `renamed` maps a
    contract column to the column of `relation` it comes from when the names differ. dbt renders models once
    at parse time, before the YAML is attached: there the select list is a placeholder (never run).
-#}
{% macro published_select(relation, renamed={}) %}
    {%- set columns = model['columns'] if model is mapping and model.get('columns') else {} %}
    select
    {%- for name, column in columns.items() %}
        {%- if not column.get('data_type') %}
            {{ exceptions.raise_compiler_error(model['name'] ~ '.' ~ name ~ ': a published column needs a data_type') }}
        {%- endif %}
        cast({{ renamed.get(name, name) }} as {{ sb_engine_type(column['data_type']) }}) as {{ name }}
        {{- ',' if not loop.last }}
    {%- else %}
        null as contract_columns
    {%- endfor %}
    from {{ relation }}
{%- endmacro %}
