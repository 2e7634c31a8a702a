-- Rows of each fact mart per source they cite, with the first and last date of those
-- facts (breach records and action targets are dated by their breach and action). The
-- dashboard's Data page reads row counts, date ranges and each source's citations here
-- instead of scanning the fact tables.

with

breaches as (
    select
        reported_on,
        source_id
    from {{ ref('fct_breaches') }}
),

actions as (
    select
        action_id,
        action_on,
        source_id
    from {{ ref('fct_regulatory_actions') }}
),

dated_rows as (
    select
        'fct_breaches' as mart,
        source_id,
        reported_on as fact_on
    from breaches

    union all

    select
        'fct_breach_records' as mart,
        source_id,
        reported_on as fact_on
    from {{ ref('fct_breach_records') }}

    union all

    select
        'fct_penalties' as mart,
        source_id,
        announced_on as fact_on
    from {{ ref('fct_penalties') }}

    union all

    select
        'fct_regulatory_actions' as mart,
        source_id,
        action_on as fact_on
    from actions

    union all

    select
        'bridge_regulatory_action_targets' as mart,
        targets.source_id,
        actions.action_on as fact_on
    from {{ ref('bridge_regulatory_action_targets') }} as targets
    left join actions on targets.action_id = actions.action_id
)

select
    mart,
    source_id,
    cast(count(*) as {{ dbt.type_bigint() }}) as fact_rows,
    min(fact_on) as first_date,
    max(fact_on) as last_date
from dated_rows
group by mart, source_id
