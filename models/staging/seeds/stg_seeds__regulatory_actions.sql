select
    action_id,
    action_type,
    title as action_title,
    authority,
    jurisdiction_code,
    action_on,
    action_precision,
    action_on_source_id,
    date_as_stated,
    status as action_status,
    subjects,
    description as action_description,
    related_action_id,
    source_id
from {{ ref('regulatory_actions') }}
