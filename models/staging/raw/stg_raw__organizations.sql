select
    {{ lineage_columns() }},
    organization_name,
    organization_key,
    jurisdiction_code,
    sector_raw
from {{ raw_source('raw', 'organizations') }}
