-- Breaches from every origin, one row per breach_id, before enrichment: the seeds, then
-- each ingested breach that is its own anchor, i.e. not in breach_source_matches (rows
-- matched to another source's breach are counted there, not again).
select
    b.breach_id,
    b.organization_id,
    b.jurisdiction_code,
    b.breach_type,
    b.is_alleged,
    false as is_excluded,
    cast(null as {{ dbt.type_string() }}) as exclusion_reason,
    cast(null as {{ dbt.type_string() }}) as quality_flags,
    b.reported_on,
    b.reported_precision,
    b.records_exposed,
    b.records_unit,
    b.breach_description,
    'seed' as source_name,
    b.breach_id as source_record_id,
    b.source_id
from {{ ref('stg_seeds__breaches') }} as b

union all

select
    i.breach_id,
    i.organization_id,
    i.jurisdiction_code,
    i.breach_type,
    i.is_alleged,
    i.is_excluded,
    i.exclusion_reason,
    i.quality_flags,
    i.reported_on,
    i.reported_precision,
    i.records_exposed,
    i.records_unit,
    i.breach_description,
    i.source_name,
    i.source_record_id,
    i.source_id
from {{ ref('int_raw_breaches_mapped') }} as i
where not exists (
    select 1
    from {{ ref('breach_source_matches') }} as m
    where m.source_breach_id = i.breach_id
)
