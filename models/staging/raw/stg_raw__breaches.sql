select
    {{ lineage_columns() }},
    organization_name,
    organization_key,
    jurisdiction_code,
    location_raw,
    breach_type_raw,
    cast(reported_on as date) as reported_on,
    reported_precision,
    cast(occurred_on as date) as occurred_on,
    occurred_precision,
    cast(records_exposed as {{ dbt.type_bigint() }}) as records_exposed,
    records_unit,
    sector_raw,
    exclusion_reason,
    quality_flags,
    description as breach_description,
    source_url
from {{ raw_source('raw', 'breaches') }}
