select
    {{ lineage_columns() }},
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
