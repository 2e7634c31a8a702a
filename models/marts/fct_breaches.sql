-- The organization's name and sector stay in dim_organizations (join on organization_id):
-- the fact table does not copy a dimension of millions of rows onto every breach.

-- Incremental (macros/incremental_breaches.sql): a refresh recomputes the breaches of the
-- organizations and breaches its new loads touch.
-- depends_on: {{ ref('int_raw_breaches_mapped') }}
-- depends_on: {{ ref('dim_organizations') }}
{{ config(
    materialized=fact_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_breach_scope('organization_id', 'breach_id') }}"
) }}

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

-- The source rows matched to each breach besides its anchor row (few of them).
matched_rows as (
    select
        breach_id,
        count(*) as matched_count
    from {{ ref('breach_source_matches') }}
    group by breach_id
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
    -- One breach's data types usually overlap (the same people), so the headline figure is
    -- the stated total, else the largest per-type count, never their sum.
    coalesce(breaches.records_exposed, largest_record_counts.largest_data_type_records) as records_exposed,
    breaches.records_unit,
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
left join largest_record_counts on breaches.breach_id = largest_record_counts.breach_id
left join matched_rows on breaches.breach_id = matched_rows.breach_id
left join jurisdictions on breaches.jurisdiction_code = jurisdictions.jurisdiction_code
