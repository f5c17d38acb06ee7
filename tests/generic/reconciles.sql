{#-
    Generic test on audit_reconciliation: every raw row is accounted for, i.e. per table
    rows_read = rows_staged + rows_quarantined + rows_superseded. Returns the tables that do
    not reconcile (no row = pass).
-#}
{% test reconciles(model) %}

with

final as (

    select * from {{ model }}
    where
        rows_read is null
        or rows_read <> coalesce(rows_staged, 0) + coalesce(rows_quarantined, 0) + coalesce(rows_superseded, 0)

)

select * from final

{% endtest %}
