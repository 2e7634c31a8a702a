select
    breach_type,
    breach_type_name,
    description as breach_type_description
from {{ ref('breach_types') }}
