-- Every organization the warehouse knows, one row per organization_id.
select
    organization_id,
    organization_name,
    sector_code,
    jurisdiction_code,
    organization_type,
    'seed' as source_name,
    source_id
from {{ ref('stg_seeds__organizations') }}
