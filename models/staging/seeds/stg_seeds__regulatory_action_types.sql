select
    action_type,
    action_type_name,
    is_binding,
    description as action_type_description
from {{ ref('regulatory_action_types') }}
