-- The pairs of breach source rows the linkage model is unsure of: a match probability from
-- var('linkage_review_from') up to var('linkage_threshold'), so not linked. An analyst
-- reads each pair's two rows side by side, the weight of the evidence and the comparisons
-- that spoke for a match, and decides it in seeds/breach_link_overrides.csv (link or
-- no_link), which the next refresh applies after the model.

-- Each pair's dates, counts and places come with the pair (int_breach_pair_scores), so
-- no candidate row is read here. Built after breach_source_matches: at ten million rows
-- and a 3GB limit the two side by side ran out of memory, when this model still read the
-- candidate rows; whether the order is still needed has not been measured since.
-- depends_on: {{ ref('breach_source_matches') }}

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
    pairs.reported_on_l as reported_on,
    pairs.reported_on_r as other_reported_on,
    pairs.records_exposed_l as records_exposed,
    pairs.records_exposed_r as other_records_exposed,
    pairs.jurisdiction_code_l as jurisdiction_code,
    pairs.jurisdiction_code_r as other_jurisdiction_code,
    pairs.days_apart,
    pairs.match_weight,
    pairs.match_probability,
    pairs.agreements
from pairs
left join {{ ref('dim_organizations') }} as organizations
    on pairs.organization_id_l = organizations.organization_id
left join {{ ref('dim_organizations') }} as other_organizations
    on pairs.organization_id_r = other_organizations.organization_id
