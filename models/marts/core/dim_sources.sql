select
    source_id,
    source_title,
    publisher,
    source_type,
    published_on,
    published_precision,
    source_url,
    source_notes
from {{ ref('stg_seeds__sources') }}
