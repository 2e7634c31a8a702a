-- Fines, penalties and settlements with their original amount and currency beside the
-- amount converted to USD and EUR: at the ECB rate of the decision day (or the nearest
-- earlier quoted day at most var('fx_max_days_back') days before) when the ingested daily
-- rates have one and the decision date is known to the day, else at the annual average
-- rate of the year of the decision (fx_rate_basis says which).
-- A row that a later row supersedes (amended, reduced on appeal, final after proposed)
-- stays as history with is_current = false, so totals over is_current count it once.
-- The organization's name and sector stay in dim_organizations (join on organization_id).

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
        rate_to_eur,
        rate_basis
    from {{ ref('stg_seeds__fx_rates') }}
),

daily_rates as (
    select * from {{ ref('int_fx_daily_rates') }}
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

decision_day_rates as (
    select
        penalty_id,
        rate_date,
        rate_to_usd,
        rate_to_eur
    from (
        select
            dated.penalty_id,
            daily_rates.rate_date,
            daily_rates.rate_to_usd,
            daily_rates.rate_to_eur,
            row_number() over (
                partition by dated.penalty_id order by daily_rates.rate_date desc
            ) as rate_rank
        from dated
        inner join daily_rates
            on
                dated.currency = daily_rates.currency
                and dated.announced_on >= daily_rates.rate_date
                and {{ dbt.dateadd('day', -1 * var('fx_max_days_back'), 'dated.announced_on') }}
                <= daily_rates.rate_date
        where dated.announced_precision = 'day'
    ) as ranked
    where rate_rank = 1
),

rates as (
    select
        dated.penalty_id,
        coalesce(decision_day_rates.rate_to_usd, fx_rates.rate_to_usd) as rate_to_usd,
        coalesce(decision_day_rates.rate_to_eur, fx_rates.rate_to_eur) as rate_to_eur,
        case
            when decision_day_rates.penalty_id is not null then 'decision_date'
            else fx_rates.rate_basis
        end as rate_basis,
        decision_day_rates.rate_date
    from dated
    left join decision_day_rates on dated.penalty_id = decision_day_rates.penalty_id
    left join fx_rates
        on
            dated.currency = fx_rates.currency
            and dated.penalty_year = fx_rates.rate_year
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
    {{ partial_date_label('dated.announced_on', 'dated.announced_precision') }} as announced_label,
    dated.penalty_year,
    cast(dated.amount as {{ type_money() }}) as amount,
    dated.currency,
    rates.rate_to_usd as fx_rate_to_usd,
    rates.rate_to_eur as fx_rate_to_eur,
    rates.rate_basis as fx_rate_basis,
    cast(rates.rate_date as date) as fx_rate_date,
    {{ convert_amount('dated.amount', 'rates.rate_to_usd') }} as amount_usd,
    {{ convert_amount('dated.amount', 'rates.rate_to_eur') }} as amount_eur,
    dated.supersedes_penalty_id,
    dated.figure_as_stated,
    dated.penalty_description,
    dated.source_name,
    dated.source_id
from dated
left join superseded on dated.penalty_id = superseded.penalty_id
left join rates on dated.penalty_id = rates.penalty_id
left join jurisdictions on dated.jurisdiction_code = jurisdictions.jurisdiction_code
