select
    source_name,
    source_value,
    jurisdiction_code
from {{ ref('map_jurisdictions') }}
