select
    source_name,
    source_value,
    sector_code,
    organization_type
from {{ ref('map_sectors') }}
