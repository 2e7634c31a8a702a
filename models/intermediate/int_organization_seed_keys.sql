-- The organization match keys (normalized names without spaces, macro
-- organization_match_key) of the seed organizations and their aliases, each resolved to
-- its seed organization_id (organization_match seed_name, else seed_alias). Every other
-- key an ingested row names is an organization of its own, org_<key> (macro
-- organization_id_for): so resolving an ingested row is a join with this small table,
-- never with the millions of keys the ingested rows name.
-- A table, not ephemeral: three models join it to millions of rows, and with its exact
-- size known the engine builds those joins on this side.

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

ranked as (
    select
        {{ organization_match_key('organization_key') }} as match_key,
        organization_id,
        organization_match,
        row_number() over (
            partition by {{ organization_match_key('organization_key') }}
            order by match_rank, organization_id
        ) as key_rank
    from seed_names
    where organization_key is not null
)

select
    match_key,
    organization_id,
    organization_match
from ranked
where key_rank = 1
