{#-
    sb_numbers(n): a relation of the integers 0 .. n-1 in a column `n`, from cross joins of ten
    digits (portable: no generate_series / range, which differ between DuckDB and Spark).
-#}
{% macro sb_numbers(n) -%}
    {%- set places = [] -%}
    {%- set ns = namespace(size=1) -%}
    {%- for _ in range(12) if ns.size < n -%}
        {%- do places.append(ns.size) -%}
        {%- set ns.size = ns.size * 10 -%}
    {%- endfor -%}
    {%- if not places %}{% do places.append(1) %}{% endif -%}
    select n
    from (
        select
            {% for place in places -%}
                d{{ loop.index }}.digit * {{ place }}{{ ' + ' if not loop.last }}
            {%- endfor %} as n
        from
            {% for place in places -%}
                (
                    select digit from (values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) as digits (digit)
                ) as d{{ loop.index }}{{ ' cross join ' if not loop.last }}
            {%- endfor %}
    ) as numbers
    where n < {{ n }}
{%- endmacro %}


{#- ISO day of week of a date: 1 = Monday ... 7 = Sunday. -#}
{% macro sb_iso_day_of_week(date_expr) %}
    {{ return(adapter.dispatch('sb_iso_day_of_week', 'switchboard')(date_expr)) }}
{% endmacro %}

{% macro default__sb_iso_day_of_week(date_expr) -%}
    isodow({{ date_expr }})
{%- endmacro %}

{% macro spark__sb_iso_day_of_week(date_expr) -%}
    ((dayofweek({{ date_expr }}) + 5) % 7 + 1)
{%- endmacro %}
