-- Every source row that reports a breach, seeds and ingested alike, in the shape the
-- cross-source matching (breach_source_matches) compares.
-- A view, not ephemeral: the matching reads it in several steps, each a few columns and
-- the rows it keeps, where an ephemeral model's CTE read several times would be buffered
-- whole (every breach) by the engine.

{{ config(materialized='view', schema='intermediate') }}

with

jurisdictions as (
    select
        jurisdictions.jurisdiction_code,
        {{ country_code_of('jurisdictions') }} as country_code
    from {{ ref('stg_seeds__jurisdictions') }} as jurisdictions
)

select
    seed_breaches.breach_id,
    'seed' as source_name,
    seed_breaches.breach_id as source_record_id,
    cast(null as {{ dbt.type_string() }}) as load_id,
    seed_breaches.organization_id,
    'seed' as organization_match,
    seed_breaches.jurisdiction_code,
    jurisdictions.country_code,
    seed_breaches.reported_on,
    not seed_breaches.is_alleged as is_matchable,
    {{ source_priority("'seed'") }} as source_priority,
    seed_breaches.source_id
from {{ ref('stg_seeds__breaches') }} as seed_breaches
left join jurisdictions on seed_breaches.jurisdiction_code = jurisdictions.jurisdiction_code

union all

select
    breach_id,
    source_name,
    source_record_id,
    load_id,
    organization_id,
    organization_match,
    jurisdiction_code,
    country_code,
    reported_on,
    not is_excluded as is_matchable,
    {{ source_priority('source_name') }} as source_priority,
    source_id
from {{ ref('int_raw_breaches_mapped') }}
