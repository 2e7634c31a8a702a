-- Records exposed per breach and data type, from every origin: the seeds, and the
-- children of each ingested breach's current version, mapped by seeds map_data_types
-- (unmapped: 'other') and attached to the breach the source row is counted in
-- (breach_source_matches), one row per breach, data type and source (the largest count of
-- the source's values of that type). Each row carries its breach's jurisdiction, date,
-- year and whether it is counted, as in fct_breaches, so the per-data-type totals are read
-- without a join to the 10M-row breach table.
-- Incremental (macros/incremental_breaches.sql): a refresh recomputes the rows of the
-- organizations and breaches its new loads touch (their source rows kept first in a
-- temporary table, save_mapped_rows_in_scope).
-- depends_on: {{ ref('int_raw_breaches_mapped') }}
-- depends_on: {{ ref('dim_organizations') }}
-- depends_on: {{ ref('int_breach_partner_organizations') }}
{{ config(
    materialized=fact_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook=[
        "{{ delete_breach_scope('organization_id', 'breach_id') }}",
        "{{ save_mapped_rows_in_scope() }}"
    ]
) }}

{%- set anchor_columns = ['jurisdiction_code', 'reported_on', 'is_alleged', 'is_excluded'] %}

with

-- The breaches rows are counted in besides their own source row's: the seed breaches of
-- the seed records, and the anchors of matched source rows (of the same organization, so
-- in scope whenever the row is), with the columns every row carries from its breach.
anchor_ids as (
    select matched.breach_id from {{ ref('breach_source_matches') }} as matched
    union
    select seed_rows.breach_id from {{ ref('stg_seeds__breach_records') }} as seed_rows
),

anchor_breaches as (
    select
        breaches.breach_id,
        breaches.organization_id,
        {%- for column in anchor_columns %}
        breaches.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('int_breaches_unioned') }} as breaches
    inner join anchor_ids on breaches.breach_id = anchor_ids.breach_id
    {%- if is_incremental() %}
    where {{ in_breach_scope('breaches.organization_id', 'breaches.breach_id') }}
    {%- endif %}
),

seed_records as (
    select
        seed_rows.breach_id,
        seed_breaches.organization_id,
        seed_rows.data_type,
        seed_rows.records,
        seed_rows.figure_as_stated,
        'seed' as source_name,
        seed_rows.source_id,
        {%- for column in anchor_columns %}
        seed_breaches.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('stg_seeds__breach_records') }} as seed_rows
    left join anchor_breaches as seed_breaches
        on seed_rows.breach_id = seed_breaches.breach_id
),

-- The breach each matched source row is counted in.
matched_anchors as (
    select
        matched.source_breach_id,
        anchors.breach_id,
        {%- for column in anchor_columns %}
        anchors.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('breach_source_matches') }} as matched
    inner join anchor_breaches as anchors
        on matched.breach_id = anchors.breach_id
),

-- Every ingested source row's current version (load_id) and the breach it is counted in:
-- its own (a source row that no other breach matched is its own anchor, so it carries its
-- own jurisdiction and dates), or the one breach_source_matches matched it to.
source_rows as (
    select
        mapped.source_name,
        mapped.source_record_id,
        mapped.load_id,
        mapped.organization_id,
        coalesce(anchors.breach_id, mapped.breach_id) as breach_id,
        {%- for column in anchor_columns %}
        case
            when anchors.breach_id is null then mapped.{{ column }}
            else anchors.{{ column }}
        end as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    -- (incremental: the rows in scope, kept by the pre-hook)
    from {{ mapped_rows_in_scope_table() if is_incremental() else ref('int_raw_breaches_mapped') }} as mapped
    left join matched_anchors as anchors
        on mapped.breach_id = anchors.source_breach_id
),

-- The children of each source row's current version.
raw_records as (
    select
        source_rows.breach_id,
        source_rows.organization_id,
        coalesce(data_type_map.data_type, 'other') as data_type,
        child.records,
        child.figure_as_stated,
        child.source_name,
        source_rows.jurisdiction_code,
        source_rows.reported_on,
        source_rows.is_alleged,
        source_rows.is_excluded
    from {{ ref('stg_raw__breach_records') }} as child
    inner join source_rows
        on
            child.source_name = source_rows.source_name
            and child.breach_source_record_id = source_rows.source_record_id
            and child.load_id = source_rows.load_id
    left join {{ ref('stg_seeds__map_data_types') }} as data_type_map
        on
            child.source_name = data_type_map.source_name
            and child.data_type_raw = data_type_map.source_value
    where child.records is not null
),

-- One row per breach, data type and source: the largest count and every figure as stated
-- (ordered, '; '-separated). Most groups have one row, which is its own list: only the
-- others go through the ordered list aggregate, which over every group would cost more
-- than the rest of the model. (A breach has one organization, possibly none: the joins
-- leave it out of their keys; the breach's jurisdiction, date and flags are one per breach.)
type_groups as (
    select
        breach_id,
        organization_id,
        data_type,
        source_name,
        jurisdiction_code,
        reported_on,
        is_alleged,
        is_excluded,
        max(records) as records,
        count(*) as row_count,
        min(figure_as_stated) as only_figure
    from raw_records
    group by
        breach_id, organization_id, data_type, source_name,
        jurisdiction_code, reported_on, is_alleged, is_excluded
),

listed_figures as (
    select
        raw_records.breach_id,
        raw_records.organization_id,
        raw_records.data_type,
        raw_records.source_name,
        {{ ordered_listagg('raw_records.figure_as_stated', "'; '") }} as figure_as_stated
    from raw_records
    inner join type_groups
        on
            raw_records.breach_id = type_groups.breach_id
            and raw_records.data_type = type_groups.data_type
            and raw_records.source_name = type_groups.source_name
    where type_groups.row_count > 1
    group by
        raw_records.breach_id,
        raw_records.organization_id,
        raw_records.data_type,
        raw_records.source_name
),

per_type as (
    select
        breach_id,
        data_type,
        records,
        figure_as_stated,
        source_name,
        source_id,
        organization_id,
        jurisdiction_code,
        reported_on,
        is_alleged,
        is_excluded
    from seed_records
    {%- if is_incremental() %}
    where {{ in_breach_scope('organization_id', 'breach_id') }}
    {%- endif %}

    union all

    select
        type_groups.breach_id,
        type_groups.data_type,
        type_groups.records,
        case
            when type_groups.row_count = 1 then type_groups.only_figure
            else listed.figure_as_stated
        end as figure_as_stated,
        type_groups.source_name,
        {{ source_id_for('type_groups.source_name') }} as source_id,
        type_groups.organization_id,
        type_groups.jurisdiction_code,
        type_groups.reported_on,
        type_groups.is_alleged,
        type_groups.is_excluded
    from type_groups
    left join listed_figures as listed
        on
            type_groups.breach_id = listed.breach_id
            and type_groups.data_type = listed.data_type
            and type_groups.source_name = listed.source_name
)

select
    per_type.breach_id,
    per_type.data_type,
    per_type.records,
    per_type.figure_as_stated,
    per_type.source_name,
    per_type.source_id,
    per_type.organization_id,
    per_type.jurisdiction_code,
    per_type.reported_on,
    {{ year_of('per_type.reported_on') }} as breach_year,
    {{ breach_is_counted('per_type') }} as is_counted
from per_type
