select
    data_type,
    data_type_name,
    is_sensitive,
    description as data_type_description
from {{ ref('data_types') }}
