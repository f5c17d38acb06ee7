{#- Generic data test: rows whose column is null or below `minimum` (e.g. engagement groups under 5 responses). -#}
{% test team_at_least(model, column_name, minimum) %}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} is null or {{ column_name }} < {{ minimum }}
{% endtest %}
