{#- GENERATED from switchboard/contract.py by `switchboard contract` - do not edit by hand.
    Every raw row of crm/next_best_actions, exactly once, classified by the landing contract
    (macros/staging/stage_rows.sql): the only model that reads this landing table. -#}

{{ stage_classified_rows('crm', 'next_best_actions') }}
