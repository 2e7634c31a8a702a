select
    source_name,
    source_record_id,
    load_id,
    cast(loaded_at as {{ dbt.type_timestamp() }}) as loaded_at,
    file_sha256,
    record_hash,
    action_type,
    title as action_title,
    authority,
    jurisdiction_code,
    cast(action_on as date) as action_on,
    action_precision,
    action_status,
    description as action_description,
    source_url
from {{ raw_source('raw', 'regulatory_actions') }}
