select
    source_name,
    source_record_id,
    load_id,
    cast(loaded_at as {{ dbt.type_timestamp() }}) as loaded_at,
    file_sha256,
    record_hash,
    organization_name,
    organization_key,
    jurisdiction_code,
    sector_raw
from {{ raw_source('raw', 'organizations') }}
