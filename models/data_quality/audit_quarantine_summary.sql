{#- Quarantined rows per landing table and rule, for a BI tool (only pairs that occur).
    Every table of the landing contract is covered (macro landing_contract()). -#}

{{ staging_audit_quarantine_summary() }}
