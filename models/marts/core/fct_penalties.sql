-- Fines, penalties and settlements with their original amount and currency beside the
-- amount converted to USD and EUR: at the ECB rate of the decision day (or the nearest
-- earlier quoted day at most var('fx_max_days_back') days before) when the ingested daily
-- rates have one and the decision date is known to the day, else at the annual average
-- rate of the year of the decision (fx_rate_basis says which). amount_usd_constant is
-- amount_usd in constant dollars of the base year (dim_cpi_deflators: CPI-U annual average of
-- the base year over that of the decision year; cpi_basis says how many months the
-- decision year's average has).
-- A row that a later row supersedes (amended, reduced on appeal, final after proposed)
-- stays as history with is_current = false, so totals over is_current count it once.
-- The organization's name and sector stay in dim_organizations (join on organization_id).

-- Incremental (DuckDB; macros/incremental_penalties.sql): a refresh recomputes the
-- penalties with a version in a new load and those whose decision-date rate changed, and
-- replaces their rows (delete+insert on penalty_id); load_id and mapped_in_run say which
-- load and which dbt invocation each row comes from.
-- depends_on: {{ ref('stg_raw__penalties') }}
{{ config(
    materialized=fact_materialization(),
    incremental_strategy='delete+insert',
    unique_key='penalty_id',
    on_schema_change='fail'
) }}

with

fx_rates as (
    select
        currency,
        rate_year,
        rate_to_usd,
        rate_to_eur,
        rate_basis
    from {{ ref('stg_seeds__fx_rates') }}
),

daily_rates as (
    select * from {{ ref('int_fx_daily_rates') }}
),

deflators as (
    select
        cpi_year,
        cpi_basis,
        base_year,
        to_base_year_factor
    from {{ ref('dim_cpi_deflators') }}
),

{% if is_incremental() %}
-- Records with a version in a load no row of this table comes from.
new_versions as (
    select distinct
        {{ ingested_id('raw_rows.source_name', 'raw_rows.source_record_id') }} as penalty_id
    from {{ ref('stg_raw__penalties') }} as raw_rows
    where {{ in_unseen_load('raw_rows.load_id') }}
),

stored as (
    select * from {{ this }}
),

stored_rates as (
    {{ penalty_fx_rates('stored', 'daily_rates', 'fx_rates') }}
),

-- Stored penalties the current rates would convert otherwise.
rate_changes as (
    select stored.penalty_id
    from stored
    inner join stored_rates on stored.penalty_id = stored_rates.penalty_id
    where not (
        stored.fx_rate_to_usd is not distinct from cast(stored_rates.rate_to_usd as {{ type_double() }})
        and stored.fx_rate_to_eur is not distinct from cast(stored_rates.rate_to_eur as {{ type_double() }})
        and stored.fx_rate_basis is not distinct from stored_rates.rate_basis
        and stored.fx_rate_date is not distinct from cast(stored_rates.rate_date as date)
    )
),

recomputed as (
    select new_versions.penalty_id from new_versions
    union
    select rate_changes.penalty_id from rate_changes
),
{% endif %}

penalties as (
    select * from {{ ref('int_penalties_unioned') }}
    {%- if is_incremental() %}
    where penalty_id in (select recomputed.penalty_id from recomputed)
    {%- endif %}
),

superseded as (
    select distinct supersedes_penalty_id as penalty_id
    from penalties
    where supersedes_penalty_id is not null
    {%- if is_incremental() %}

    union

    select stored.supersedes_penalty_id as penalty_id
    from stored
    where
        stored.supersedes_penalty_id is not null
        and stored.penalty_id not in (select recomputed.penalty_id from recomputed)
    {%- endif %}
),

jurisdictions as (
    select
        jurisdiction_code,
        country_code
    from {{ ref('dim_jurisdictions') }}
),

dated as (
    select
        penalties.*,
        {{ year_of('penalties.announced_on') }} as penalty_year
    from penalties
),

rates as (
    {{ penalty_fx_rates('dated', 'daily_rates', 'fx_rates') }}
)

select
    dated.penalty_id,
    dated.penalty_kind,
    dated.penalty_status as status,
    (superseded.penalty_id is null) as is_current,
    dated.authority,
    dated.jurisdiction_code,
    jurisdictions.country_code,
    dated.organization_id,
    dated.breach_id,
    dated.legal_basis,
    dated.announced_on,
    dated.announced_precision,
    coalesce(
        {{ partial_date_label('dated.announced_on', 'dated.announced_precision') }}, 'unknown'
    ) as announced_label,
    dated.penalty_year,
    cast(dated.amount as {{ type_money() }}) as amount,
    dated.currency,
    rates.rate_to_usd as fx_rate_to_usd,
    rates.rate_to_eur as fx_rate_to_eur,
    rates.rate_basis as fx_rate_basis,
    cast(rates.rate_date as date) as fx_rate_date,
    {{ convert_amount('dated.amount', 'rates.rate_to_usd') }} as amount_usd,
    {{ convert_amount('dated.amount', 'rates.rate_to_eur') }} as amount_eur,
    {{ convert_amount(convert_amount('dated.amount', 'rates.rate_to_usd'), 'deflators.to_base_year_factor') }}
        as amount_usd_constant,
    deflators.base_year as constant_usd_base_year,
    deflators.cpi_basis,
    dated.supersedes_penalty_id,
    dated.figure_as_stated,
    dated.quality_flags,
    dated.penalty_description,
    dated.source_name,
    dated.source_id,
    dated.load_id,
    '{{ invocation_id }}' as mapped_in_run
from dated
left join superseded on dated.penalty_id = superseded.penalty_id
left join rates on dated.penalty_id = rates.penalty_id
left join jurisdictions on dated.jurisdiction_code = jurisdictions.jurisdiction_code
left join deflators on dated.penalty_year = deflators.cpi_year
