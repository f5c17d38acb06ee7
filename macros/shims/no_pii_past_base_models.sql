{#- The engine-specific bodies of the generic test no_pii_past_base_models (tests/generic/): how each engine lists
    the columns of every relation. staging_pii_column_names: the PII columns of the landing contract. -#}
{% macro staging_pii_column_names() %}
    {% set names = [] %}
    {% for table in landing_contract().values() %}
        {% for col in table.columns if col.get('pii') and col.name not in names %}
            {% do names.append(col.name) %}
        {% endfor %}
    {% endfor %}
    {{ return(names) }}
{% endmacro %}


{% macro default__test_no_pii_past_base_models(model) %}
    {%- set quoted = [] -%}
    {%- for name in staging_pii_column_names() %}{% do quoted.append("'" ~ name ~ "'") %}{% endfor -%}
with

columns_in_warehouse as (

    select
        table_schema,
        table_name,
        column_name
    from information_schema.columns
    where table_catalog = '{{ target.database }}'

),

final as (

    select
        table_schema,
        table_name,
        column_name
    from columns_in_warehouse
    where
        lower(column_name) in ({{ quoted | join(', ') }})
        and table_schema <> 'landing'
        and not (table_schema = '{{ staging_base_schema() }}' and table_name like 'base\_%' escape '\')

)

select * from final
{% endmacro %}


{#- Spark has no information_schema: the relations of this project's models (other than base_ models) that
    exist when the test runs are described one by one (get_columns_in_relation), and the offending
    columns are returned as literal rows. -#}
{% macro spark__test_no_pii_past_base_models(model) %}
    {%- set offenders = [] -%}
    {%- if execute -%}
        {%- set pii = staging_pii_column_names() -%}
        {%- for node in graph.nodes.values() if node.resource_type in ('model', 'seed') and node.package_name == project_name -%}
            {%- if not (node.schema == staging_base_schema() and node.alias.startswith('base_')) -%}
                {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) -%}
                {%- if relation is not none -%}
                    {%- for column in adapter.get_columns_in_relation(relation) if column.name | lower in pii -%}
                        {%- do offenders.append((node.schema, node.alias, column.name)) -%}
                    {%- endfor -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if offenders %}
        {%- for schema, table, column in offenders %}
select '{{ schema }}' as table_schema, '{{ table }}' as table_name, '{{ column }}' as column_name
{{ 'union all' if not loop.last }}
        {%- endfor %}
    {%- else %}
select
    cast(null as string) as table_schema,
    cast(null as string) as table_name,
    cast(null as string) as column_name
where 1 = 0
    {%- endif %}
{% endmacro %}
