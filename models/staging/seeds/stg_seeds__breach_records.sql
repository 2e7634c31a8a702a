select
    breach_id,
    data_type,
    cast(records as {{ dbt.type_bigint() }}) as records,
    figure_as_stated,
    source_id
from {{ ref('breach_records') }}
