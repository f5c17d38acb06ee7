{#-
    Generic data test: splitting loses or double-counts no second. Per agent, Σ `column_name` (seconds of the
    pieces in `model`) must equal Σ (end - start) of the unsplit rows of `parent` (where `parent_filter`).
    Fails too when a row spans more intervals than the split handles (raise var max_activity_hours).
-#}
{% test team_conserves_seconds(model, column_name, parent, parent_start, parent_end, parent_filter='1 = 1') %}
    with

    pieces as (
        select
            agent_id,
            sum({{ column_name }}) as seconds
        from {{ model }}
        group by agent_id
    ),

    whole as (
        select
            agent_id,
            sum({{ dbt.datediff(parent_start, parent_end, 'second') }}) as seconds
        from {{ parent }}
        where {{ parent_filter }} and {{ parent_end }} > {{ parent_start }}
        group by agent_id
    )

    select
        coalesce(pieces.agent_id, whole.agent_id) as agent_id,
        pieces.seconds as piece_seconds,
        whole.seconds as whole_seconds
    from pieces
    full outer join whole
        on pieces.agent_id = whole.agent_id
    where coalesce(pieces.seconds, -1) <> coalesce(whole.seconds, -1)
{% endtest %}
