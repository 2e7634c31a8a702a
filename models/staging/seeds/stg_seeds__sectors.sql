select
    sector_code,
    sector_name,
    taxonomy as sector_taxonomy
from {{ ref('sectors') }}
