-- Records exposed per breach and data type, from every origin: the seeds, and the
-- children of each ingested breach's current version, mapped by seeds map_data_types
-- (unmapped: 'other') and attached to the breach the source row is counted in
-- (breach_source_matches), one row per breach, data type and source (the largest count of
-- the source's values of that type). Each row carries its breach's jurisdiction, date,
-- year and whether it is counted, as in fct_breaches, so the per-data-type totals are read
-- without a join to the 10M-row breach table.
-- Incremental (macros/incremental_breaches.sql): a refresh recomputes the rows of the
-- organizations and breaches its new loads touch.
-- depends_on: {{ ref('int_raw_breaches_mapped') }}
-- depends_on: {{ ref('dim_organizations') }}
{{ config(
    materialized=breach_facts_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_breach_scope('organization_id', 'breach_id') }}"
) }}

with

seed_records as (
    select
        seed_rows.breach_id,
        seed_breaches.organization_id,
        seed_rows.data_type,
        seed_rows.records,
        seed_rows.figure_as_stated,
        'seed' as source_name,
        seed_rows.source_id
    from {{ ref('stg_seeds__breach_records') }} as seed_rows
    left join {{ ref('stg_seeds__breaches') }} as seed_breaches
        on seed_rows.breach_id = seed_breaches.breach_id
),

matches as (
    select
        source_name,
        source_record_id,
        load_id,
        breach_id,
        organization_id
    from {{ ref('breach_source_matches') }}
    {%- if is_incremental() %}
    where {{ in_breach_scope('organization_id', 'breach_id') }}
    {%- endif %}
),

-- The children of the version of each source row that breach_source_matches counts
-- (its load_id: the current version).
raw_records as (
    select
        matches.breach_id,
        matches.organization_id,
        coalesce(data_type_map.data_type, 'other') as data_type,
        child.records,
        child.figure_as_stated,
        child.source_name
    from {{ ref('stg_raw__breach_records') }} as child
    inner join matches
        on
            child.source_name = matches.source_name
            and child.breach_source_record_id = matches.source_record_id
            and child.load_id = matches.load_id
    left join {{ ref('stg_seeds__map_data_types') }} as data_type_map
        on
            child.source_name = data_type_map.source_name
            and child.data_type_raw = data_type_map.source_value
    where child.records is not null
),

per_type as (
    select
        breach_id,
        data_type,
        records,
        figure_as_stated,
        source_name,
        source_id,
        organization_id
    from seed_records
    {%- if is_incremental() %}
    where {{ in_breach_scope('organization_id', 'breach_id') }}
    {%- endif %}

    union all

    select
        breach_id,
        data_type,
        max(records) as records,
        {{ ordered_listagg('figure_as_stated', "'; '") }} as figure_as_stated,
        source_name,
        {{ source_id_for('source_name') }} as source_id,
        organization_id
    from raw_records
    group by breach_id, organization_id, data_type, source_name
),

-- The breach each row is counted in (an anchor: of the same organization, so in scope
-- whenever the row is).
breaches as (
    select
        breach_id,
        jurisdiction_code,
        reported_on,
        is_alleged,
        is_excluded
    from {{ ref('int_breaches_unioned') }}
    {%- if is_incremental() %}
    where {{ in_breach_scope('organization_id', 'breach_id') }}
    {%- endif %}
)

select
    per_type.breach_id,
    per_type.data_type,
    per_type.records,
    per_type.figure_as_stated,
    per_type.source_name,
    per_type.source_id,
    per_type.organization_id,
    breaches.jurisdiction_code,
    breaches.reported_on,
    {{ year_of('breaches.reported_on') }} as breach_year,
    {{ breach_is_counted('breaches') }} as is_counted
from per_type
left join breaches on per_type.breach_id = breaches.breach_id
