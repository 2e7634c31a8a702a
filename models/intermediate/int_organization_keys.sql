-- Every organization key an ingested row names, resolved to a warehouse organization_id:
-- the seed organization whose name or alias has the same key (organization_match
-- seed_name / seed_alias), else a new id org_<key> (normalized_name).
-- A table, not ephemeral: three models join it, and it scans every ingested row's key.

{{ config(materialized='table', schema='intermediate') }}

with

seed_names as (
    select
        organization_id,
        {{ normalize_org_name('organization_name') }} as organization_key,
        'seed_name' as organization_match,
        1 as match_rank
    from {{ ref('stg_seeds__organizations') }}

    union all

    select
        organization_id,
        {{ normalize_org_name('organization_alias') }} as organization_key,
        'seed_alias' as organization_match,
        2 as match_rank
    from {{ ref('stg_seeds__organization_aliases') }}
),

seed_keys as (
    select
        organization_key,
        organization_id,
        organization_match,
        row_number() over (
            partition by organization_key order by match_rank, organization_id
        ) as key_rank
    from seed_names
),

ingested_keys as (
    select organization_key from {{ ref('stg_raw__organizations') }}
    union
    select organization_key from {{ ref('stg_raw__breaches') }}
    union
    select organization_key from {{ ref('stg_raw__penalties') }}
)

select
    ingested_keys.organization_key,
    coalesce(
        seed_keys.organization_id,
        {{ dbt.concat(["'org_'", "replace(ingested_keys.organization_key, ' ', '_')"]) }}
    ) as organization_id,
    coalesce(seed_keys.organization_match, 'normalized_name') as organization_match
from ingested_keys
left join seed_keys
    on
        ingested_keys.organization_key = seed_keys.organization_key
        and seed_keys.key_rank = 1
where ingested_keys.organization_key is not null
