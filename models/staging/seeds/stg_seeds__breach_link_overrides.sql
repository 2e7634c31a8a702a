select
    breach_id,
    other_breach_id,
    decision,
    reason as override_reason,
    source_id
from {{ ref('breach_link_overrides') }}
