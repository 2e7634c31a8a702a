select
    source_name,
    source_record_id,
    load_id,
    cast(loaded_at as {{ dbt.type_timestamp() }}) as loaded_at,
    file_sha256,
    record_hash,
    upper(currency) as currency,
    cast(rate_date as date) as rate_date,
    cast(units_per_eur as {{ type_double() }}) as units_per_eur
from {{ raw_source('raw', 'fx_rates') }}
