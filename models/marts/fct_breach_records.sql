select
    breach_id,
    data_type,
    records,
    figure_as_stated,
    source_name,
    source_id
from {{ ref('int_breach_records_unioned') }}
