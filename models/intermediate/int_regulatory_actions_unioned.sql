-- Regulatory actions from every origin: the seeds, then the current version of every
-- ingested action.

with

raw_actions as (
    {{ current_versions(ref('stg_raw__regulatory_actions')) }}
)

select
    action_id,
    action_type,
    action_title,
    authority,
    jurisdiction_code,
    action_on,
    action_precision,
    action_on_source_id,
    date_as_stated,
    action_status,
    subjects,
    action_description,
    related_action_id,
    'seed' as source_name,
    source_id
from {{ ref('stg_seeds__regulatory_actions') }}

union all

select
    {{ ingested_id('source_name', 'source_record_id') }} as action_id,
    action_type,
    action_title,
    authority,
    jurisdiction_code,
    action_on,
    action_precision,
    cast(null as {{ dbt.type_string() }}) as action_on_source_id,
    cast(null as {{ dbt.type_string() }}) as date_as_stated,
    action_status,
    cast(null as {{ dbt.type_string() }}) as subjects,
    action_description,
    cast(null as {{ dbt.type_string() }}) as related_action_id,
    source_name,
    {{ source_id_for('source_name') }} as source_id
from raw_actions
