{#-
    chain_walk(segments, max_hops): CTE definitions (each followed by a comma) that derive, for every row of the
    relation or CTE `segments` (columns segment_id, previous_segment_id; segment_id unique), its transfer-chain
    contact, position and status, ending in a CTE `chain_walk_result` (segment_id, contact_id, position,
    chain_status).

    Portable on DuckDB and Spark: recursive CTEs differ between the two, so the walk is a bounded iterative
    self-join unrolled by Jinja, `max_hops` joins deep (var max_transfer_hops), as one linear chain of left joins
    (CTEs that reference each other would be recomputed per reference where an engine inlines CTEs). `chain_walk_path` holds one row
    per segment and every ancestor reached (hops = 0 is the segment itself). A walk stops at a root (no
    previous segment), at a link to a segment that is not in `segments`, when it returns to its own start (the
    segment is a cycle member), or after `max_hops` hops.

    Status and contact:
    - ok: the walk reached a root; contact = the root, position = hops + 1.
    - broken: the walk reached a segment whose previous_segment_id is not in `segments` (never received or
      quarantined); contact = that earliest reachable segment, position = hops to it + 1.
    - cycle: the segment lies on a cycle (its walk returns to itself) or its walk reaches a cycle member;
      contact = the smallest segment_id of the cycle; position = hops to that segment + 1 (for a chain leading
      into the cycle: hops to its first cycle member + that member's position).
    - unresolved: none of the above within max_hops (a chain or cycle longer than max_transfer_hops); the
      accepted_values test on chain_status fails so that the var is raised, never a silent wrong answer.

    Only linked segments are walked (a previous_segment_id, or the previous segment of another one; 9.6 % of the
    segments of the generated data): an unlinked segment is its own root (contact = itself, position 1, ok), so it
    is passed through, identical to what the walk would give and about 80 % cheaper (docs/bench.md). Every
    ancestor of a linked segment is linked, so the walk over the linked ones alone reaches the same ends.
-#}
{% macro chain_walk(segments, max_hops=none) -%}
{%- set hops = (max_hops if max_hops is not none else var('max_transfer_hops', 20)) | int -%}
chain_walk_child_links as (

    select distinct previous_segment_id as segment_id
    from {{ segments }}
    where previous_segment_id is not null

),

chain_walk_links as (

    select
        all_segments.segment_id,
        all_segments.previous_segment_id,
        (
            all_segments.previous_segment_id is not null
            or child_links.segment_id is not null
        ) as is_linked
    from {{ segments }} as all_segments
    left join chain_walk_child_links as child_links
        on all_segments.segment_id = child_links.segment_id

),

chain_walk_linked as (

    select
        segment_id,
        previous_segment_id
    from chain_walk_links
    where is_linked

),

{#- One row per segment with its ancestors 1 .. hops as columns: a linear chain of self-joins, each stopping
    once the walk is back at its start. (Hop CTEs that reference each other are recomputed per reference on
    engines that inline CTEs, e.g. Spark: quadratic; this is linear everywhere.) From the second hop the stop
    condition is folded into the join key (CASE ... END = segment_id): a `<>` on a third table beside the
    equality makes DuckDB plan a nested-loop join, quadratic in segments (measured in docs/bench.md). -#}
chain_walk_wide as (

    select
        hop_0.segment_id as segment_id_0,
        hop_0.previous_segment_id as previous_segment_id_0
        {%- for hop in range(1, hops + 1) %},
        hop_{{ hop }}.segment_id as segment_id_{{ hop }},
        hop_{{ hop }}.previous_segment_id as previous_segment_id_{{ hop }}
        {%- endfor %}
    from chain_walk_linked as hop_0
    {%- for hop in range(1, hops + 1) %}
    left join chain_walk_linked as hop_{{ hop }}
        on
            {%- if hop > 1 %}
            case
                when hop_{{ hop - 1 }}.segment_id <> hop_0.segment_id then hop_{{ hop - 1 }}.previous_segment_id
            end = hop_{{ hop }}.segment_id
            {%- else %}
            hop_{{ hop - 1 }}.previous_segment_id = hop_{{ hop }}.segment_id
            {%- endif %}
    {%- endfor %}

),

chain_walk_hop_numbers as (

    {{ sb_numbers(hops + 1) }}

),

chain_walk_path as (

    select
        segment_id,
        ancestor_id,
        ancestor_previous_id,
        hops
    from (
        select
            wide.segment_id_0 as segment_id,
            case hop_numbers.n
                {%- for hop in range(0, hops + 1) %}
                when {{ hop }} then wide.segment_id_{{ hop }}
                {%- endfor %}
            end as ancestor_id,
            case hop_numbers.n
                {%- for hop in range(0, hops + 1) %}
                when {{ hop }} then wide.previous_segment_id_{{ hop }}
                {%- endfor %}
            end as ancestor_previous_id,
            hop_numbers.n as hops
        from chain_walk_wide as wide
        cross join chain_walk_hop_numbers as hop_numbers
    ) as unpivoted
    where ancestor_id is not null

),

chain_walk_end as (

    select
        segment_id,
        ancestor_id,
        ancestor_previous_id,
        hops
    from (
        select
            segment_id,
            ancestor_id,
            ancestor_previous_id,
            hops,
            row_number() over (partition by segment_id order by hops desc) as hop_rank
        from chain_walk_path
    ) as ranked
    where hop_rank = 1

),

chain_walk_known as (

    select segment_id from {{ segments }}

),

chain_walk_ended as (

    select
        walk_end.segment_id,
        walk_end.ancestor_id,
        walk_end.hops,
        case
            when walk_end.ancestor_previous_id is null then 'ok'
            when known.segment_id is null then 'broken'
        end as end_status
    from chain_walk_end as walk_end
    left join chain_walk_known as known
        on walk_end.ancestor_previous_id = known.segment_id

),

chain_walk_members as (

    select distinct segment_id
    from chain_walk_path
    where hops > 0 and ancestor_id = segment_id

),

chain_walk_member_contact as (

    select
        path.segment_id,
        min(path.ancestor_id) as contact_id
    from chain_walk_path as path
    inner join chain_walk_members as members
        on path.segment_id = members.segment_id
    group by path.segment_id

),

chain_walk_member_position as (

    select
        member_contact.segment_id,
        member_contact.contact_id,
        min(path.hops) + 1 as position
    from chain_walk_member_contact as member_contact
    inner join chain_walk_path as path
        on
            member_contact.segment_id = path.segment_id
            and member_contact.contact_id = path.ancestor_id
    group by member_contact.segment_id, member_contact.contact_id

),

chain_walk_tail_entry as (

    select
        segment_id,
        contact_id,
        position
    from (
        select
            path.segment_id,
            member_position.contact_id,
            path.hops + member_position.position as position,
            row_number() over (partition by path.segment_id order by path.hops) as entry_rank
        from chain_walk_path as path
        inner join chain_walk_member_position as member_position
            on path.ancestor_id = member_position.segment_id
        where path.hops > 0
    ) as entries
    where entry_rank = 1

),

chain_walk_linked_result as (

    select
        ended.segment_id,
        case
            when ended.end_status is not null then ended.ancestor_id
            when member_position.segment_id is not null then member_position.contact_id
            when tail_entry.segment_id is not null then tail_entry.contact_id
            else ended.ancestor_id
        end as contact_id,
        case
            when ended.end_status is not null then ended.hops + 1
            when member_position.segment_id is not null then member_position.position
            when tail_entry.segment_id is not null then tail_entry.position
            else ended.hops + 1
        end as position,
        case
            when ended.end_status is not null then ended.end_status
            when member_position.segment_id is not null or tail_entry.segment_id is not null then 'cycle'
            else 'unresolved'
        end as chain_status
    from chain_walk_ended as ended
    left join chain_walk_member_position as member_position
        on ended.segment_id = member_position.segment_id
    left join chain_walk_tail_entry as tail_entry
        on ended.segment_id = tail_entry.segment_id

),

chain_walk_result as (

    select
        segment_id,
        contact_id,
        position,
        chain_status
    from chain_walk_linked_result
    union all
    select
        segment_id,
        segment_id as contact_id,
        1 as position,
        'ok' as chain_status
    from chain_walk_links
    where not is_linked

),
{%- endmacro %}
