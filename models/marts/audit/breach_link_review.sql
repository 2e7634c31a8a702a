-- The pairs of breach source rows the linkage model is unsure of: a match probability from
-- var('linkage_review_from') up to var('linkage_threshold'), so not linked. An analyst
-- reads each pair's two rows side by side, the weight of the evidence and the comparisons
-- that spoke for a match, and decides it in seeds/breach_link_overrides.csv (link or
-- no_link), which the next refresh applies after the model.

with

pairs as (
    select * from {{ ref('int_breach_pair_scores') }}
    where
        link_basis = 'model'
        and match_probability >= {{ var('linkage_review_from') }}
        and match_probability < {{ var('linkage_threshold') }}
)

select
    pairs.breach_id_l as breach_id,
    pairs.breach_id_r as other_breach_id,
    pairs.organization_id_l as organization_id,
    organizations.organization_name,
    pairs.organization_id_r as other_organization_id,
    other_organizations.organization_name as other_organization_name,
    pairs.source_name_l as source_name,
    pairs.source_name_r as other_source_name,
    row_l.reported_on,
    row_r.reported_on as other_reported_on,
    row_l.records_exposed,
    row_r.records_exposed as other_records_exposed,
    row_l.jurisdiction_code,
    row_r.jurisdiction_code as other_jurisdiction_code,
    pairs.days_apart,
    pairs.match_weight,
    pairs.match_probability,
    pairs.agreements
from pairs
-- Each side straight from the candidates (a view read twice), so the few pairs in the
-- band are the only rows held at once.
inner join {{ ref('int_breach_candidates') }} as row_l on pairs.breach_id_l = row_l.breach_id
inner join {{ ref('int_breach_candidates') }} as row_r on pairs.breach_id_r = row_r.breach_id
left join {{ ref('dim_organizations') }} as organizations
    on pairs.organization_id_l = organizations.organization_id
left join {{ ref('dim_organizations') }} as other_organizations
    on pairs.organization_id_r = other_organizations.organization_id
