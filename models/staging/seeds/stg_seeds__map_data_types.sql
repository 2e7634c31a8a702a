select
    source_name,
    source_value,
    data_type
from {{ ref('map_data_types') }}
