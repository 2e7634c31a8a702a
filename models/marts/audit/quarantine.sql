-- Every field of every source record the ingest layer rejected, with the reason, the
-- record as read and the load it came from. is_latest_load marks the rows of each
-- source's most recent load that quarantined anything (an earlier load's rows stay as
-- history).

with

quarantined as (
    select * from {{ ref('stg_ingest__quarantine') }}
),

latest_loads as (
    select
        source_name,
        max(load_id) as load_id
    from quarantined
    group by source_name
)

select
    quarantined.source_name,
    quarantined.load_id,
    quarantined.loaded_at,
    quarantined.file_sha256,
    quarantined.source_file,
    quarantined.record_locator,
    quarantined.source_field,
    quarantined.source_value,
    quarantined.reason,
    quarantined.raw_record,
    (latest_loads.load_id is not null) as is_latest_load
from quarantined
left join latest_loads
    on
        quarantined.source_name = latest_loads.source_name
        and quarantined.load_id = latest_loads.load_id
