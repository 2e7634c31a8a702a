select
    source_id,
    title as source_title,
    publisher,
    source_type,
    published_on,
    published_precision,
    url as source_url,
    notes as source_notes
from {{ ref('sources') }}
