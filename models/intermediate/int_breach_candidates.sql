-- Every source row that reports a breach, seeds and ingested alike, in the shape the
-- linkage (int_breach_pair_scores) compares: its organization and its name as the source
-- states it (the organization key, its match key and its stem: the blocks), date and its
-- precision, the date it was made known where the source states it apart (notified_on),
-- records, jurisdiction, breach type, the pages it cites (macro cited_urls), the words of
-- its description (macro description_words) and source.
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
),

seed_organizations as (
    select
        organization_id,
        {{ normalize_org_name('organization_name') }} as organization_key
    from {{ ref('stg_seeds__organizations') }}
)

select
    seed_breaches.breach_id,
    'seed' as source_name,
    seed_breaches.breach_id as source_record_id,
    cast(null as {{ dbt.type_string() }}) as load_id,
    seed_breaches.organization_id,
    'seed' as organization_match,
    seed_organizations.organization_key,
    {{ organization_match_key('seed_organizations.organization_key') }} as name_key,
    {{ organization_name_stem('seed_organizations.organization_key') }} as name_stem,
    seed_breaches.jurisdiction_code,
    jurisdictions.country_code,
    seed_breaches.reported_on,
    seed_breaches.reported_precision,
    cast(null as date) as notified_on,
    cast(null as {{ dbt.type_string() }}) as notified_precision,
    seed_breaches.records_exposed,
    seed_breaches.records_unit,
    seed_breaches.breach_type,
    {{ cited_urls('null', 'seed_breaches.breach_description') }} as cited_urls,
    {{ description_words(
        'seed_breaches.breach_description', 'seed_organizations.organization_key'
    ) }} as description_words,
    not seed_breaches.is_alleged as is_matchable,
    {{ source_priority("'seed'") }} as source_priority,
    seed_breaches.source_id
from {{ ref('stg_seeds__breaches') }} as seed_breaches
left join jurisdictions on seed_breaches.jurisdiction_code = jurisdictions.jurisdiction_code
left join seed_organizations on seed_breaches.organization_id = seed_organizations.organization_id

union all

select
    breach_id,
    source_name,
    source_record_id,
    load_id,
    organization_id,
    organization_match,
    organization_key,
    {{ organization_match_key('organization_key') }} as name_key,
    {{ organization_name_stem('organization_key') }} as name_stem,
    jurisdiction_code,
    country_code,
    reported_on,
    reported_precision,
    notified_on,
    notified_precision,
    records_exposed,
    records_unit,
    breach_type,
    {{ cited_urls(
        "case when source_name in ('" ~ var('linkage_citing_sources') | join("', '") ~ "') then source_url end",
        'breach_description'
    ) }} as cited_urls,
    {{ description_words('breach_description', 'organization_key') }} as description_words,
    not is_excluded as is_matchable,
    {{ source_priority('source_name') }} as source_priority,
    source_id
from {{ ref('int_raw_breaches_mapped') }}
