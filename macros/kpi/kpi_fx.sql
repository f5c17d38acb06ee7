{#-
    kpi_fx_rate_join(join_type, currency, moment, alias='rates'): the join to seed fx_rates for the rate of
    `currency` to var reporting_currency in the calendar month of `moment` (a date or timestamp): both sides
    truncated to the month, so a rate dated on any day of a month serves the whole month. Used by the money
    KPIs that convert amounts to the reporting currency.
-#}
{% macro kpi_fx_rate_join(join_type, currency, moment, alias='rates') -%}
    {{ join_type }} join {{ ref('fx_rates') }} as {{ alias }}
        on
            {{ currency }} = {{ alias }}.currency
            and cast({{ dbt.date_trunc('month', moment) }} as date)
            = cast({{ dbt.date_trunc('month', alias ~ '.period_month') }} as date)
{%- endmacro %}
