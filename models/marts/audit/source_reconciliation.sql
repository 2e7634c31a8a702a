-- One row per source and load: where every row the load read went, in rows, in the
-- records (or money) the rows state, and what the warehouse holds of it.
-- The load's own accounting (stg_ingest__loads: read = loaded + quarantined + duplicate,
-- checked by the loader and again by this model's tests) sits beside what the warehouse
-- finds in the files the load wrote: the versions in its raw table, the input rows its
-- quarantine names, and, of its versions that are still current, the rows and records
-- counted in their own breach or in another source's (records_merged).

with

loads as (
    select * from {{ ref('stg_ingest__loads') }}
),

-- The versions each load wrote to each raw table (its primary table's are its rows').
written as (
    {%- for table in ['breaches', 'penalties', 'fx_rates', 'regulatory_actions', 'organizations'] %}
    select
        source_name,
        load_id,
        '{{ table }}' as table_name,
        count(*) as rows_written
    from {{ ref('stg_raw__' ~ table) }}
    group by source_name, load_id
    {{- '\n\n    union all\n' if not loop.last }}
    {%- endfor %}
),

quarantined as (
    select
        source_name,
        load_id,
        count(distinct record_locator) as rows_in_quarantine
    from {{ ref('stg_ingest__quarantine') }}
    group by source_name, load_id
),

-- Of each load's versions, those that are current, and whether another source's breach
-- counts them.
current_breaches as (
    select
        mapped.source_name,
        mapped.load_id,
        count(*) as rows_current,
        sum(coalesce(mapped.records_exposed, 0)) as records_current,
        sum(case when matches.source_breach_id is not null then 1 else 0 end) as rows_merged,
        sum(
            case when matches.source_breach_id is not null then coalesce(mapped.records_exposed, 0) else 0 end
        ) as records_merged
    from {{ ref('int_raw_breaches_mapped') }} as mapped
    left join {{ ref('breach_source_matches') }} as matches
        on mapped.breach_id = matches.source_breach_id
    group by mapped.source_name, mapped.load_id
),

current_penalties as (
    select
        source_name,
        load_id,
        count(*) as rows_current
    from {{ ref('fct_penalties') }}
    where load_id is not null
    group by source_name, load_id
),

latest as (
    select
        source_name,
        max(as_of) as latest_as_of
    from loads
    group by source_name
)

select
    loads.source_name,
    loads.load_id,
    loads.loaded_at,
    loads.as_of,
    loads.as_of_basis,
    (loads.as_of = latest.latest_as_of) as is_latest_snapshot,
    loads.load_input,
    loads.source_file,
    loads.file_sha256,
    loads.primary_table,
    loads.rows_read,
    loads.rows_loaded,
    loads.rows_quarantined,
    loads.rows_duplicate,
    loads.rows_excluded,
    loads.records_unit,
    loads.records_read,
    loads.records_loaded,
    loads.records_quarantined,
    loads.records_duplicate,
    loads.records_excluded,
    cast(coalesce(current_breaches.records_merged, 0) as {{ dbt.type_bigint() }}) as records_merged,
    loads.amount_currency,
    loads.amount_read,
    loads.amount_loaded,
    loads.amount_quarantined,
    loads.amount_duplicate,
    loads.versions_new,
    loads.versions_updated,
    loads.versions_unchanged,
    loads.versions_older,
    cast(coalesce(written.rows_written, 0) as {{ dbt.type_bigint() }}) as rows_written,
    cast(coalesce(quarantined.rows_in_quarantine, 0) as {{ dbt.type_bigint() }}) as rows_in_quarantine,
    cast(
        coalesce(current_breaches.rows_current, current_penalties.rows_current, 0)
        as {{ dbt.type_bigint() }}
    ) as rows_current,
    cast(coalesce(current_breaches.rows_merged, 0) as {{ dbt.type_bigint() }}) as rows_merged
from loads
inner join latest on loads.source_name = latest.source_name
left join written
    on
        loads.source_name = written.source_name
        and loads.load_id = written.load_id
        and loads.primary_table = written.table_name
left join quarantined
    on
        loads.source_name = quarantined.source_name
        and loads.load_id = quarantined.load_id
left join current_breaches
    on
        loads.source_name = current_breaches.source_name
        and loads.load_id = current_breaches.load_id
left join current_penalties
    on
        loads.source_name = current_penalties.source_name
        and loads.load_id = current_penalties.load_id
