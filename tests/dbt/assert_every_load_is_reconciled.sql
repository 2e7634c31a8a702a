-- Every load whose rows are in a raw table has its accounting in source_reconciliation:
-- no rows reach the warehouse without the load that read them having balanced.
{%- set tables = ['breaches', 'breach_records', 'penalties', 'regulatory_actions', 'organizations', 'fx_rates'] %}

with

raw_loads as (
    {%- for table in tables %}
    select distinct
        source_name,
        load_id
    from {{ ref('stg_raw__' ~ table) }}
    {{- '\n\n    union\n' if not loop.last }}
    {%- endfor %}
)

select raw_loads.*
from raw_loads
left join {{ ref('source_reconciliation') }} as reconciled
    on
        raw_loads.source_name = reconciled.source_name
        and raw_loads.load_id = reconciled.load_id
where reconciled.load_id is null
