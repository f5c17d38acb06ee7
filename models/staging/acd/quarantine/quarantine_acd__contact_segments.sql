{#- Quarantined rows of acd/contact_segments: original values, the rule broken and the extract time.
    PII text is salted-hashed here too, so the staging schema holds clear PII only in the base model. -#}
with

quarantined as (

    select * from {{ ref('base_acd__contact_segments') }}
    where _status = 'quarantined'

),

final as (

    select
        _rule,
        _rule_column,
        _extracted_at,
        _source_file,
        _unparseable_column,
        _unparseable_value,
        segment_id,
        previous_segment_id,
        channel,
        direction,
        queue_id,
        agent_id,
        customer_id,
        {{ sb_pii_hash('customer_address') }} as customer_address_hash,
        initiated_at,
        enqueued_at,
        connected_at,
        disconnected_at,
        acw_started_at,
        acw_ended_at,
        hold_seconds,
        hold_count,
        disconnect_reason,
        transfer_type,
        disposition_code,
        campaign_id,
        campaign_result
    from quarantined

)

select * from final
