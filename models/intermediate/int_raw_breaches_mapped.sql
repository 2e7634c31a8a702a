-- The current version of every ingested breach, mapped to the warehouse's taxonomies
-- (int_breach_types_mapped) and to a warehouse organization.
-- Incremental (the largest input: every version of every ingested breach): a refresh
-- reads only the records that have a version in a load this table has not seen yet and
-- replaces their rows (delete+insert on breach_id). `refresh --full-refresh`, or any
-- change to the seeds or models (breach_warehouse/refresh.py compares a fingerprint),
-- rebuilds it from every load.
-- Every row says which dbt invocation mapped it (mapped_in_run) and, when it replaced an
-- earlier version, that version's organization (previous_organization_id): the incremental
-- breach facts recompute only those organizations (macros/incremental_breaches.sql).
-- On Spark (Parquet tables, no delete or merge) the table is partitioned by source and an
-- incremental run rebuilds the whole partition of every source with a new load
-- (insert_overwrite): the other sources' rows are neither read nor rewritten.

{{ config(
    materialized='incremental',
    schema='intermediate',
    unique_key='breach_id',
    incremental_strategy=('insert_overwrite' if target.type == 'spark' else 'delete+insert'),
    partition_by=(['source_name'] if target.type == 'spark' else none),
    on_schema_change='fail'
) }}

{%- set whole_sources = config.get('incremental_strategy') == 'insert_overwrite' %}

with

{% if is_incremental() %}
new_loads as (
    select distinct
        source_name,
        load_id
    from {{ ref('stg_raw__breaches') }}
    where load_id not in (select distinct seen.load_id from {{ this }} as seen)
),

touched as (
    select distinct
        raw_rows.source_name,
        raw_rows.source_record_id
    from {{ ref('stg_raw__breaches') }} as raw_rows
    inner join new_loads
        on
            raw_rows.source_name = new_loads.source_name
            {%- if not whole_sources %}
            and raw_rows.load_id = new_loads.load_id
            {%- endif %}
),

-- The mapping this run replaces, for its organization.
previous as (
    select
        seen.breach_id,
        seen.organization_id
    from {{ this }} as seen
    inner join touched
        on seen.breach_id = {{ ingested_id('touched.source_name', 'touched.source_record_id') }}
),

versions as (
    select raw_rows.*
    from {{ ref('stg_raw__breaches') }} as raw_rows
    inner join touched
        on
            raw_rows.source_name = touched.source_name
            and raw_rows.source_record_id = touched.source_record_id
),

current_rows as (
    {{ current_versions('versions') }}
),
{% else %}
-- The view itself, not a CTE over it: current_versions reads its relation twice, and the
-- engine would buffer a CTE read twice (every column of every raw row) instead of
-- scanning the Parquet twice.
current_rows as (
    {{ current_versions(ref('stg_raw__breaches')) }}
),
{% endif %}

jurisdictions as (
    select
        jurisdictions.jurisdiction_code,
        {{ country_code_of('jurisdictions') }} as country_code
    from {{ ref('stg_seeds__jurisdictions') }} as jurisdictions
)

select
    {{ ingested_id('current_rows.source_name', 'current_rows.source_record_id') }} as breach_id,
    current_rows.source_name,
    current_rows.source_record_id,
    current_rows.load_id,
    {{ organization_id_for('current_rows.organization_key', 'seed_keys') }} as organization_id,
    {{ organization_match_for('current_rows.organization_key', 'seed_keys') }} as organization_match,
    current_rows.organization_key,
    current_rows.jurisdiction_code,
    jurisdictions.country_code,
    coalesce(type_matches.breach_type, 'unknown') as breach_type,
    false as is_alleged,
    (current_rows.exclusion_reason is not null) as is_excluded,
    current_rows.exclusion_reason,
    current_rows.quality_flags,
    current_rows.as_of,
    current_rows.reported_on,
    current_rows.reported_precision,
    current_rows.notified_on,
    current_rows.notified_precision,
    current_rows.records_exposed,
    current_rows.records_unit,
    current_rows.breach_description,
    current_rows.source_url,
    {{ source_id_for('current_rows.source_name') }} as source_id,
    {%- if is_incremental() and not whole_sources %}
    previous.organization_id as previous_organization_id,
    {%- else %}
    cast(null as {{ dbt.type_string() }}) as previous_organization_id,
    {%- endif %}
    '{{ invocation_id }}' as mapped_in_run
from current_rows
left join {{ ref('int_breach_types_mapped') }} as type_matches
    on
        current_rows.source_name = type_matches.source_name
        and current_rows.breach_type_raw = type_matches.breach_type_raw
left join {{ ref('int_organization_seed_keys') }} as seed_keys
    on {{ organization_match_key('current_rows.organization_key') }} = seed_keys.match_key
left join jurisdictions on current_rows.jurisdiction_code = jurisdictions.jurisdiction_code
{%- if is_incremental() and not whole_sources %}
left join previous
    on {{ ingested_id('current_rows.source_name', 'current_rows.source_record_id') }} = previous.breach_id
{%- endif %}
