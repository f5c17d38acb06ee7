{#- Every raw row accounted for: per landing table rows read (counted on the landing relation itself)
    = staged + quarantined + superseded. The `reconciles` test fails the build otherwise.
    Every table of the landing contract is covered (macro landing_contract()). -#}

{{ staging_audit_reconciliation() }}
