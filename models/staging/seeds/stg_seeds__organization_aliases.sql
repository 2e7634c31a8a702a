select
    organization_id,
    alias as organization_alias,
    source_id
from {{ ref('organization_aliases') }}
