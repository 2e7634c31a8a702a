-- The organization's name and sector stay in dim_organizations (join on organization_id):
-- the fact table does not copy a dimension of millions of rows onto every breach.

-- Incremental (macros/incremental_breaches.sql): a refresh recomputes the breaches of the
-- organizations and breaches its new loads touch.
-- depends_on: {{ ref('int_raw_breaches_mapped') }}
-- depends_on: {{ ref('dim_organizations') }}
-- depends_on: {{ ref('int_breach_partner_organizations') }}
{{ config(
    materialized=fact_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_breach_scope('organization_id', 'breach_id') }}"
) }}

-- A breach's records exposed: the largest count any of its source rows states (the
-- anchor's or a matched row's), with that row's unit and source; a breach no row states a
-- total for takes its largest per-type count (one breach's data types usually overlap,
-- the same people, so never their sum), in its anchor's unit.
-- The breaches are read once, in the final select: a second read of the ephemeral
-- int_breaches_unioned would make the engine buffer every whole breach row.
{%- set matched_is_larger =
    'matched_rows.records_exposed > coalesce(breaches.records_exposed, -1)' %}

with

breaches as (
    select * from {{ ref('int_breaches_unioned') }}
    {%- if is_incremental() %}
    where {{ in_breach_scope('organization_id', 'breach_id') }}
    {%- endif %}
),

largest_record_counts as (
    select
        breach_id,
        max(records) as largest_data_type_records
    from {{ ref('fct_breach_records') }}
    {%- if is_incremental() %}
    where {{ in_breach_scope('organization_id', 'breach_id') }}
    {%- endif %}
    group by breach_id
),

-- The source rows matched to each breach besides its anchor row (few of them): how many,
-- and the one that states the largest count (ties: the higher-priority source).
matched_rows as (
    select
        breach_id,
        matched_count,
        records_exposed,
        records_unit,
        source_name
    from (
        select
            breach_id,
            records_exposed,
            records_unit,
            source_name,
            count(*) over (partition by breach_id) as matched_count,
            row_number() over (
                partition by breach_id
                order by
                    records_exposed desc nulls last,
                    {{ source_priority('source_name') }},
                    source_breach_id
            ) as records_rank
        from {{ ref('breach_source_matches') }}
    ) as ranked
    where records_rank = 1
),

jurisdictions as (
    select
        jurisdiction_code,
        country_code
    from {{ ref('dim_jurisdictions') }}
)

select
    breaches.breach_id,
    breaches.organization_id,
    breaches.jurisdiction_code,
    jurisdictions.country_code,
    breaches.reported_on,
    breaches.reported_precision,
    {{ partial_date_label('breaches.reported_on', 'breaches.reported_precision') }} as reported_label,
    {{ year_of('breaches.reported_on') }} as breach_year,
    case
        when {{ matched_is_larger }} then matched_rows.records_exposed
        else coalesce(breaches.records_exposed, largest_record_counts.largest_data_type_records)
    end as records_exposed,
    case
        when {{ matched_is_larger }} then matched_rows.records_unit
        else breaches.records_unit
    end as records_unit,
    case
        when {{ matched_is_larger }} then matched_rows.source_name
        else breaches.source_name
    end as records_source_name,
    breaches.breach_type,
    breaches.is_alleged,
    breaches.is_excluded,
    breaches.exclusion_reason,
    {{ breach_is_counted('breaches') }} as is_counted,
    breaches.quality_flags,
    breaches.breach_description,
    breaches.source_name,
    breaches.source_record_id,
    cast(1 + coalesce(matched_rows.matched_count, 0) as {{ dbt.type_int() }}) as source_count,
    breaches.source_id
from breaches
left join matched_rows on breaches.breach_id = matched_rows.breach_id
left join largest_record_counts on breaches.breach_id = largest_record_counts.breach_id
left join jurisdictions on breaches.jurisdiction_code = jurisdictions.jurisdiction_code
