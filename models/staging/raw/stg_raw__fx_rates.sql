select
    {{ lineage_columns() }},
    upper(currency) as currency,
    cast(rate_date as date) as rate_date,
    cast(units_per_eur as {{ type_double() }}) as units_per_eur
from {{ raw_source('raw', 'fx_rates') }}
