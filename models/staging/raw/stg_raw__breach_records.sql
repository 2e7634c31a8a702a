select
    {{ lineage_columns() }},
    breach_source_record_id,
    data_type_raw,
    cast(records as {{ dbt.type_bigint() }}) as records,
    figure_as_stated
from {{ raw_source('raw', 'breach_records') }}
