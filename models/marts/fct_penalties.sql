-- Fines, penalties and settlements with their original amount and currency beside the
-- amount converted to USD and EUR at the annual average rate of the year of the decision.
-- A row that a later row supersedes (amended, reduced on appeal, final after proposed)
-- stays as history with is_current = false, so totals over is_current count it once.

with

penalties as (
    select * from {{ ref('int_penalties_unioned') }}
),

superseded as (
    select distinct supersedes_penalty_id as penalty_id
    from penalties
    where supersedes_penalty_id is not null
),

fx_rates as (
    select
        currency,
        rate_year,
        rate_to_usd,
        rate_to_eur
    from {{ ref('stg_seeds__fx_rates') }}
),

organizations as (
    select
        organization_id,
        organization_name
    from {{ ref('int_organizations_unioned') }}
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
    organizations.organization_name,
    dated.breach_id,
    dated.legal_basis,
    dated.announced_on,
    dated.announced_precision,
    {{ partial_date_label('dated.announced_on', 'dated.announced_precision') }} as announced_label,
    dated.penalty_year,
    cast(dated.amount as {{ type_money() }}) as amount,
    dated.currency,
    fx_rates.rate_to_usd as fx_rate_to_usd,
    fx_rates.rate_to_eur as fx_rate_to_eur,
    {{ convert_amount('dated.amount', 'fx_rates.rate_to_usd') }} as amount_usd,
    {{ convert_amount('dated.amount', 'fx_rates.rate_to_eur') }} as amount_eur,
    dated.supersedes_penalty_id,
    dated.figure_as_stated,
    dated.penalty_description,
    dated.source_name,
    dated.source_id
from dated
left join superseded on dated.penalty_id = superseded.penalty_id
left join fx_rates
    on
        dated.currency = fx_rates.currency
        and dated.penalty_year = fx_rates.rate_year
left join organizations on dated.organization_id = organizations.organization_id
left join jurisdictions on dated.jurisdiction_code = jurisdictions.jurisdiction_code
