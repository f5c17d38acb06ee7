{#- Transfer chains: for every staged segment its contact (root segment), position and chain status, by the
    portable bounded walk of macros/timelines/chain_walk.sql (var max_transfer_hops). -#}
with

segments as (

    select
        segment_id,
        previous_segment_id
    from {{ ref('stg_acd__contact_segments') }}

),

{{ chain_walk('segments') }}

final as (

    select
        segment_id,
        contact_id,
        position,
        chain_status
    from chain_walk_result

)

select
    segment_id,
    contact_id,
    position,
    chain_status
from final
