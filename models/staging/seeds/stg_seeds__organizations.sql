select
    organization_id,
    organization_name,
    sector_code,
    jurisdiction_code,
    organization_type,
    source_id
from {{ ref('organizations') }}
