-- The organizations whose rows the linkage compares with another organization's, both
-- ways: two organizations whose names share a stem (one row's stem is the other's whole
-- key, macro organization_name_stem: "Adobe Systems" and "Adobe"), two with rows that
-- state one rare count to the unit in one jurisdiction (macro rare_counts), and two an
-- analyst's link override ties together (seeds/breach_link_overrides.csv). A refresh that
-- recomputes one organization's breaches recomputes its partners' too
-- (macros/incremental_breaches.sql), so the pairs across them are complete and a row
-- counted in another organization's breach follows that breach. A table, rebuilt by
-- every refresh: a row's organization can change with a new load.

{{ config(materialized='table', schema='intermediate') }}

with

matchable as (
    select
        jurisdiction_code,
        records_exposed
    from {{ ref('int_breach_candidates') }}
    where is_matchable
),

candidates as (
    select
        breach_id,
        organization_id,
        name_key,
        name_stem,
        jurisdiction_code,
        records_exposed
    from {{ ref('int_breach_candidates') }}
    where is_matchable and organization_id is not null
),

by_name as (
    select distinct
        stem_row.organization_id,
        key_row.organization_id as partner_organization_id,
        'name' as partner_basis
    from candidates as stem_row
    inner join candidates as key_row on stem_row.name_stem = key_row.name_key
    where stem_row.organization_id != key_row.organization_id
),

-- Organizations whose rows state one rare count in one jurisdiction, at any dates, among
-- counts up to twice as rare as the linkage compares: a load that makes a count too common
-- to compare (a fourth row) recomputes the organizations whose pairs on it go.
rare_counts as (
    {{ rare_counts('matchable', 2 * var('linkage_same_count_rows')) }}
),

by_count as (
    select distinct
        count_row.organization_id,
        other_row.organization_id as partner_organization_id,
        'count' as partner_basis
    from candidates as count_row
    inner join rare_counts
        on
            count_row.jurisdiction_code = rare_counts.jurisdiction_code
            and count_row.records_exposed = rare_counts.records_exposed
    inner join candidates as other_row
        on
            count_row.records_exposed = other_row.records_exposed
            and count_row.jurisdiction_code = other_row.jurisdiction_code
    where count_row.organization_id != other_row.organization_id
),

by_override as (
    select
        first_row.organization_id,
        second_row.organization_id as partner_organization_id,
        'override' as partner_basis
    from {{ ref('stg_seeds__breach_link_overrides') }} as overrides
    inner join {{ ref('int_breach_candidates') }} as first_row
        on overrides.breach_id = first_row.breach_id
    inner join {{ ref('int_breach_candidates') }} as second_row
        on overrides.other_breach_id = second_row.breach_id
    where overrides.decision = 'link' and first_row.organization_id != second_row.organization_id
),

one_way as (
    select * from by_name
    union all
    select * from by_count
    union all
    select * from by_override
),

both_ways as (
    select
        organization_id,
        partner_organization_id,
        partner_basis
    from one_way

    union all

    select
        partner_organization_id as organization_id,
        organization_id as partner_organization_id,
        partner_basis
    from one_way
)

select
    organization_id,
    partner_organization_id,
    min(partner_basis) as partner_basis
from both_ways
group by organization_id, partner_organization_id
