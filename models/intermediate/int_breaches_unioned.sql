-- Breaches from every origin, one row per breach_id, before enrichment.
select
    b.breach_id,
    b.organization_id,
    b.jurisdiction_code,
    b.breach_type,
    b.is_alleged,
    false as is_excluded,
    cast(null as {{ dbt.type_string() }}) as exclusion_reason,
    b.reported_on,
    b.reported_precision,
    b.records_exposed,
    b.records_unit,
    b.breach_description,
    'seed' as source_name,
    b.source_id
from {{ ref('stg_seeds__breaches') }} as b
