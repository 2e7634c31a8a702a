-- Regulatory actions from every origin.
select
    action_id,
    action_type,
    action_title,
    authority,
    jurisdiction_code,
    action_on,
    action_precision,
    action_on_source_id,
    date_as_stated,
    action_status,
    subjects,
    action_description,
    related_action_id,
    'seed' as source_name,
    source_id
from {{ ref('stg_seeds__regulatory_actions') }}
