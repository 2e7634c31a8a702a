select
    upper(currency) as currency,
    cast(year as {{ dbt.type_int() }}) as rate_year,
    cast(rate_to_usd as {{ type_double() }}) as rate_to_usd,
    cast(rate_to_eur as {{ type_double() }}) as rate_to_eur,
    cast(observations as {{ dbt.type_int() }}) as observations,
    rate_basis,
    source_id
from {{ ref('fx_rates') }}
