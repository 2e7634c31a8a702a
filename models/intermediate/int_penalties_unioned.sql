-- Fines, penalties and settlements from every origin, in their original currency: the
-- seeds, then the current version of every ingested penalty (with the load it came from).

with

raw_penalties as (
    {{ current_versions(ref('stg_raw__penalties')) }}
)

select
    penalty_id,
    penalty_kind,
    penalty_status,
    organization_id,
    breach_id,
    authority,
    jurisdiction_code,
    legal_basis,
    announced_on,
    announced_precision,
    amount,
    currency,
    figure_as_stated,
    supersedes_penalty_id,
    cast(null as {{ dbt.type_string() }}) as quality_flags,
    penalty_description,
    'seed' as source_name,
    source_id,
    cast(null as {{ dbt.type_string() }}) as load_id
from {{ ref('stg_seeds__penalties') }}

union all

select
    {{ ingested_id('raw_penalties.source_name', 'raw_penalties.source_record_id') }} as penalty_id,
    raw_penalties.penalty_kind,
    raw_penalties.penalty_status,
    {{ organization_id_for('raw_penalties.organization_key', 'seed_keys') }} as organization_id,
    cast(null as {{ dbt.type_string() }}) as breach_id,
    raw_penalties.authority,
    raw_penalties.jurisdiction_code,
    raw_penalties.legal_basis,
    raw_penalties.announced_on,
    -- A decision the source dates "Unknown" has no date: its precision says so.
    coalesce(raw_penalties.announced_precision, 'unknown') as announced_precision,
    raw_penalties.amount,
    raw_penalties.currency,
    raw_penalties.figure_as_stated,
    cast(null as {{ dbt.type_string() }}) as supersedes_penalty_id,
    raw_penalties.quality_flags,
    raw_penalties.penalty_description,
    raw_penalties.source_name,
    {{ source_id_for('raw_penalties.source_name') }} as source_id,
    raw_penalties.load_id
from raw_penalties
left join {{ ref('int_organization_seed_keys') }} as seed_keys
    on {{ organization_match_key('raw_penalties.organization_key') }} = seed_keys.match_key
