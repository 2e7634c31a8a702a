-- Records exposed per breach and data type, from every origin.
select
    breach_id,
    data_type,
    records,
    figure_as_stated,
    'seed' as source_name,
    source_id
from {{ ref('stg_seeds__breach_records') }}
