-- Every organization the warehouse knows, one row per organization_id: the seeds, then
-- organizations only ingested sources name (the highest-priority source's row wins).

-- A table, not ephemeral: four marts join it, and at scale recomputing it for each costs minutes.
{{ config(materialized='table', schema='intermediate') }}

with

seed_organizations as (
    select
        organization_id,
        organization_name,
        sector_code,
        jurisdiction_code,
        organization_type,
        'seed' as source_name,
        source_id
    from {{ ref('stg_seeds__organizations') }}
),

raw_organizations as (
    {{ current_versions(ref('stg_raw__organizations')) }}
),

ingested as (
    select
        org_keys.organization_id,
        raw_organizations.organization_name,
        coalesce(sector_map.sector_code, 'unknown') as sector_code,
        raw_organizations.jurisdiction_code,
        coalesce(sector_map.organization_type, 'other') as organization_type,
        raw_organizations.source_name,
        {{ source_id_for('raw_organizations.source_name') }} as source_id,
        row_number() over (
            partition by org_keys.organization_id
            order by {{ source_priority('raw_organizations.source_name') }}, raw_organizations.source_record_id
        ) as organization_rank
    from raw_organizations
    inner join {{ ref('int_organization_keys') }} as org_keys
        on raw_organizations.organization_key = org_keys.organization_key
    left join {{ ref('stg_seeds__map_sectors') }} as sector_map
        on
            raw_organizations.source_name = sector_map.source_name
            and raw_organizations.sector_raw = sector_map.source_value
    where org_keys.organization_match = 'normalized_name'
)

select * from seed_organizations

union all

select
    organization_id,
    organization_name,
    sector_code,
    jurisdiction_code,
    organization_type,
    source_name,
    source_id
from ingested
where organization_rank = 1
