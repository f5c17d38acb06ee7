{#-
    agent_as_of(join_type, agent_id, moment, grain='date', alias='history', relation=none): the join to the agent's
    HR version as of a moment, the one way every model reads "the agent's team, site, role ... as of" from
    int_agent_history (its half-open ranges: the first version also covers everything earlier):
      grain 'at'          moment is an instant (timestamp): as_of_from_at <= moment < as_of_to_at
      grain 'date'        moment is a date, dated by the HR extract: as_of_from_date <= moment < as_of_to_date
      grain 'local_date'  moment is a local date of the version's site: as_of_from_local_date / as_of_to_local_date
    join_type is 'left' (a row without a version keeps nulls) or 'inner'; relation defaults to
    ref('int_agent_history') (or a CTE of it named `relation`), joined as `alias`.
-#}
{% macro agent_as_of(join_type, agent_id, moment, grain='date', alias='history', relation=none) -%}
    {%- if grain not in ['at', 'date', 'local_date'] and exceptions is defined -%}
        {{ exceptions.raise_compiler_error("agent_as_of: grain must be at, date or local_date, not " ~ grain) }}
    {%- endif -%}
    {{ join_type }} join {{ relation or ref('int_agent_history') }}{% if relation != alias %} as {{ alias }}{% endif %}
        on
            {{ agent_id }} = {{ alias }}.employee_id
            and {{ moment }} >= {{ alias }}.as_of_from_{{ grain }}
            and {{ moment }} < {{ alias }}.as_of_to_{{ grain }}
{%- endmacro %}
