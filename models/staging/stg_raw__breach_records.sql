select
    source_name,
    source_record_id,
    load_id,
    cast(loaded_at as {{ dbt.type_timestamp() }}) as loaded_at,
    file_sha256,
    record_hash,
    breach_source_record_id,
    data_type_raw,
    cast(records as {{ dbt.type_bigint() }}) as records,
    figure_as_stated
from {{ raw_source('raw', 'breach_records') }}
