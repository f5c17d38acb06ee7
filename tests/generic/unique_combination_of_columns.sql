{#-
    Generic test: the combination of the given columns is unique in the model (no row of the
    result = pass). Like dbt_utils.unique_combination_of_columns, which cannot be installed here.
      data_tests:
        - unique_combination_of_columns:
            arguments:
              combination_of_columns: [agent_id, state_started_at]
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

grouped as (

    select
        {{ combination_of_columns | join(', ') }},
        count(*) as n_rows
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}

),

final as (

    select * from grouped
    where n_rows > 1

)

select * from final

{% endtest %}
