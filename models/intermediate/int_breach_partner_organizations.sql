-- The organizations whose rows the linkage compares with another organization's, both
-- ways: two organizations whose names share a stem (one row's stem is the other's whole
-- key, macro organization_name_stem: "Adobe Systems" and "Adobe"), two with rows that
-- state one record count in one jurisdiction within linkage_same_count_days days (macro
-- same_count_near), and two an analyst's link override ties together (seeds/breach_link_overrides.csv). A refresh that
-- recomputes one organization's breaches recomputes its partners' too
-- (macros/incremental_breaches.sql), so the pairs across them are complete and a row
-- counted in another organization's breach follows that breach. A table, rebuilt by
-- every refresh: a row's organization can change with a new load.

{{ config(materialized='table', schema='intermediate') }}

with

candidates as (
    select
        breach_id,
        organization_id,
        name_key,
        name_stem,
        jurisdiction_code,
        reported_on,
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

by_count as (
    select distinct
        count_row.organization_id,
        other_row.organization_id as partner_organization_id,
        'count' as partner_basis
    from candidates as count_row
    inner join candidates as other_row
        on
            count_row.records_exposed = other_row.records_exposed
            and count_row.jurisdiction_code = other_row.jurisdiction_code
    where
        count_row.organization_id != other_row.organization_id
        and {{ same_count_near('count_row', 'other_row') }}
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
