-- Each distinct raw breach type of each ingest source, mapped to the warehouse's taxonomy
-- (seeds map_breach_types: a mapped value that appears in the raw value as a |-separated
-- part; the lowest priority wins). A few hundred rows, matched once per value, not once
-- per breach.
-- A table, not ephemeral: int_raw_breaches_mapped joins it to every raw breach, and with
-- its exact size known the engine builds the join on this small side instead of on the
-- millions of breaches.

{{ config(materialized='table', schema='intermediate') }}

with

raw_type_values as (
    select distinct
        source_name,
        breach_type_raw
    from {{ ref('stg_raw__breaches') }}
    where breach_type_raw is not null
),

type_matches as (
    select
        raw_type_values.source_name,
        raw_type_values.breach_type_raw,
        type_map.breach_type,
        row_number() over (
            partition by raw_type_values.source_name, raw_type_values.breach_type_raw
            order by type_map.priority, type_map.breach_type
        ) as type_rank
    from raw_type_values
    inner join {{ ref('stg_seeds__map_breach_types') }} as type_map
        on
            raw_type_values.source_name = type_map.source_name
            and {{ dbt.position(
                dbt.concat(["'|'", "type_map.source_value", "'|'"]),
                dbt.concat(["'|'", "raw_type_values.breach_type_raw", "'|'"])
            ) }} > 0
)

select
    source_name,
    breach_type_raw,
    breach_type
from type_matches
where type_rank = 1
