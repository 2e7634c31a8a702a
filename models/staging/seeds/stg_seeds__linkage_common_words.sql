select
    word,
    rows as word_rows
from {{ ref('linkage_common_words') }}
