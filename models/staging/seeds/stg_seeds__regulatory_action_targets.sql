select
    action_id,
    organization_id,
    target_role,
    source_id
from {{ ref('regulatory_action_targets') }}
