{#-
    Schemas are named by layer (staging, intermediate, marts, reference) rather than
    dbt's default <target schema>_<layer>, so BI tools and analysts find `marts.kpi_operational`
    under the same name on every target.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
