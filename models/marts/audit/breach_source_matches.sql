-- The source rows counted in another row's breach, and why.
-- The linkage model (int_breach_pair_scores: Splink's Fellegi-Sunter weights over two rows
-- of one organization, or an analyst's override) links pairs of rows; each row is counted
-- in the breach of the row it is most confidently linked to among the rows that rank
-- higher (a higher-priority source, var source_priority, seeds first; then the smaller
-- breach_id), and a link of a link resolves to the top of its chain: that row is the
-- breach's anchor, its fct_breaches row. An override decides first, then the larger match
-- weight, then the higher-ranked row. A row that links to no higher-ranked row is its own
-- breach's anchor and is not listed here. Every row keeps its own figures.

-- Incremental (macros/incremental_breaches.sql): a refresh recomputes the rows of the
-- organizations and breaches its new loads touch.
-- depends_on: {{ ref('int_raw_breaches_mapped') }}
-- depends_on: {{ ref('dim_organizations') }}
-- depends_on: {{ ref('int_breach_partner_organizations') }}
{{ config(
    materialized=fact_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_breach_scope('organization_id', 'source_breach_id') }}"
) }}

{%- set hops = var('linkage_max_hops') %}

with

pair_scores as (
    select * from {{ ref('int_breach_pair_scores') }}
    {%- if is_incremental() %}
    where {{ in_breach_scope('organization_id_l', 'breach_id_l') }}
    {%- endif %}
),

linked as (
    select * from pair_scores
    where is_linked
),

-- Each row's one link to a higher-ranked row.
best_links as (
    select ranked.*
    from (
        select
            linked.*,
            row_number() over (
                partition by linked.breach_id_l
                order by
                    case when linked.link_basis = 'model' then 1 else 0 end asc,
                    linked.match_weight desc,
                    linked.source_priority_r asc,
                    linked.breach_id_r asc
            ) as link_rank
        from linked
    ) as ranked
    where ranked.link_rank = 1
),

-- The links alone, two ids each: following them reads no other column.
link_edges as (
    select
        breach_id_l,
        breach_id_r
    from best_links
),

-- The links out of a row that is itself linked to: the only ones a chain can continue by
-- (few: most rows link straight to their anchor), so each hop looks up a small table.
onward_links as (
    select
        breach_id_l,
        breach_id_r
    from link_edges
    where breach_id_l in (select linked_to.breach_id_r from link_edges as linked_to)
),

-- Follow the links to the top of each chain (ranks rise along a chain, so it ends).
hop_0 as (
    select
        breach_id_l as breach_id,
        breach_id_r as anchor_id
    from link_edges
),
{%- for hop in range(1, hops + 1) %}

hop_{{ hop }} as (
    select
        previous.breach_id,
        coalesce(next_link.breach_id_r, previous.anchor_id) as anchor_id
    from hop_{{ hop - 1 }} as previous
    left join onward_links as next_link on previous.anchor_id = next_link.breach_id_l
),
{%- endfor %}

-- The rows themselves are read at the end, each side straight from the candidates: a
-- view read twice costs less than holding every candidate row at once at ten million.
resolved as (
    select * from hop_{{ hops }}
)

select
    resolved.anchor_id as breach_id,
    row_of.source_name,
    row_of.source_record_id,
    row_of.breach_id as source_breach_id,
    row_of.load_id,
    row_of.organization_id,
    row_of.organization_match,
    row_of.jurisdiction_code,
    row_of.reported_on,
    row_of.records_exposed,
    row_of.records_unit,
    best_links.link_basis as match_rule,
    linked_row.source_name as matched_source_name,
    linked_row.source_record_id as matched_source_record_id,
    best_links.days_apart,
    best_links.match_weight,
    best_links.match_probability,
    best_links.agreements,
    row_of.source_id
from resolved
inner join best_links on resolved.breach_id = best_links.breach_id_l
inner join {{ ref('int_breach_candidates') }} as row_of on resolved.breach_id = row_of.breach_id
inner join {{ ref('int_breach_candidates') }} as linked_row on best_links.breach_id_r = linked_row.breach_id
