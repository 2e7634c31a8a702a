select
    organization_id,
    parent_organization_id,
    relation,
    source_id,
    notes as relation_notes
from {{ ref('organization_parents') }}
