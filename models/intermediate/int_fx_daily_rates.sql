-- Daily rates from the ingested ECB reference rates (current version of each currency and
-- day): rate_to_eur = EUR per unit, rate_to_usd = USD per unit (through that day's USD
-- rate); EUR itself on every day USD is quoted.

with

daily as (
    {{ current_versions(ref('stg_raw__fx_rates'), 'currency, rate_date') }}
),

usd as (
    select
        rate_date,
        units_per_eur as usd_per_eur
    from daily
    where currency = 'USD'
),

quoted as (
    select
        currency,
        rate_date,
        units_per_eur
    from daily
    where currency != 'EUR'

    union all

    select
        'EUR' as currency,
        rate_date,
        1.0 as units_per_eur
    from usd
)

select
    quoted.currency,
    quoted.rate_date,
    cast(1.0 / quoted.units_per_eur as {{ type_double() }}) as rate_to_eur,
    cast(usd.usd_per_eur / quoted.units_per_eur as {{ type_double() }}) as rate_to_usd
from quoted
inner join usd on quoted.rate_date = usd.rate_date
