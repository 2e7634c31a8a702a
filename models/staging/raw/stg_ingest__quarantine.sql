select
    source_name,
    load_id,
    cast(loaded_at as {{ dbt.type_timestamp() }}) as loaded_at,
    file_sha256,
    source_file,
    record_locator,
    field as source_field,
    value as source_value,
    reason,
    raw_record
from {{ raw_source('ingest', 'quarantine') }}
