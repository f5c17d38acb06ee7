-- Landing data health: share of each table's raw rows that were quarantined or superseded.
-- Compile with `dbt compile --select landing_data_health` and run the SQL in target/compiled/.
with reconciliation as (
    select
        source_table,
        rows_read,
        rows_staged,
        rows_quarantined,
        rows_superseded
    from {{ ref('audit_reconciliation') }}
),

final as (
    select
        source_table,
        rows_read,
        rows_staged,
        rows_quarantined,
        rows_superseded,
        rows_quarantined / nullif(cast(rows_read as double), 0) as quarantined_share,
        rows_superseded / nullif(cast(rows_read as double), 0) as superseded_share
    from reconciliation
)

select
    source_table,
    rows_read,
    rows_staged,
    rows_quarantined,
    rows_superseded,
    quarantined_share,
    superseded_share
from final
order by quarantined_share desc
