select
    breach_id,
    organization_id,
    jurisdiction_code,
    breach_type,
    is_alleged,
    reported_on,
    reported_precision,
    reported_on_source_id,
    occurred_on,
    occurred_precision,
    cast(records_exposed as {{ dbt.type_bigint() }}) as records_exposed,
    records_unit,
    records_source_id,
    description as breach_description,
    source_id
from {{ ref('breaches') }}
