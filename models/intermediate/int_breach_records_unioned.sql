-- Records exposed per breach and data type, from every origin. Ingested rows are the
-- children of their breach's current version, mapped by seeds map_data_types (unmapped:
-- 'other'), attached to the breach the source row is counted in, one row per breach, data
-- type and source (the largest count of the source's values of that type).

-- A table, not ephemeral: two marts read it, and at scale recomputing it for each costs minutes.
{{ config(materialized='table', schema='intermediate') }}

with

seed_records as (
    select
        breach_id,
        data_type,
        records,
        figure_as_stated,
        'seed' as source_name,
        source_id
    from {{ ref('stg_seeds__breach_records') }}
),

raw_records as (
    select
        matches.breach_id,
        coalesce(data_type_map.data_type, 'other') as data_type,
        child.records,
        child.figure_as_stated,
        child.source_name
    from {{ ref('stg_raw__breach_records') }} as child
    inner join {{ ref('int_raw_breaches_mapped') }} as parent
        on
            child.source_name = parent.source_name
            and child.breach_source_record_id = parent.source_record_id
            and child.load_id = parent.load_id
    inner join {{ ref('breach_source_matches') }} as matches
        on parent.breach_id = matches.source_breach_id
    left join {{ ref('stg_seeds__map_data_types') }} as data_type_map
        on
            child.source_name = data_type_map.source_name
            and child.data_type_raw = data_type_map.source_value
    where child.records is not null
)

select * from seed_records

union all

select
    breach_id,
    data_type,
    max(records) as records,
    {{ ordered_listagg('figure_as_stated', "'; '") }} as figure_as_stated,
    source_name,
    {{ source_id_for('source_name') }} as source_id
from raw_records
group by breach_id, data_type, source_name
