-- The dashboard's pre-aggregated marts hold exactly the fact tables' totals: breaches,
-- records, decisions, amounts, actions and fact rows per source add up to the same
-- figures as the facts they summarise.
{%- set dbl = type_double() %}

with

breach_facts as (
    select
        cast(count(*) as {{ dbl }}) as breaches,
        cast(coalesce(sum(records_exposed), 0) as {{ dbl }}) as records_exposed
    from {{ ref('fct_breaches') }}
),

breach_aggregates as (
    select
        cast(coalesce(sum(breaches), 0) as {{ dbl }}) as breaches,
        cast(coalesce(sum(records_exposed), 0) as {{ dbl }}) as records_exposed
    from {{ ref('breaches_by_jurisdiction_year_type') }}
),

record_facts as (
    select cast(coalesce(sum(records), 0) as {{ dbl }}) as records
    from {{ ref('fct_breach_records') }}
),

record_aggregates as (
    select cast(coalesce(sum(records), 0) as {{ dbl }}) as records
    from {{ ref('breach_records_by_jurisdiction_year_type') }}
),

penalty_facts as (
    select
        cast(count(*) as {{ dbl }}) as decisions,
        cast(coalesce(sum(case when is_current then amount_usd end), 0) as {{ dbl }}) as current_usd,
        cast(coalesce(sum(case when is_current then amount_eur end), 0) as {{ dbl }}) as current_eur
    from {{ ref('fct_penalties') }}
),

penalty_aggregates as (
    select
        cast(coalesce(sum(decisions), 0) as {{ dbl }}) as decisions,
        cast(coalesce(sum(case when is_current then amount_usd end), 0) as {{ dbl }}) as current_usd,
        cast(coalesce(sum(case when is_current then amount_eur end), 0) as {{ dbl }}) as current_eur
    from {{ ref('penalties_by_authority_year') }}
),

action_facts as (
    select cast(count(*) as {{ dbl }}) as actions
    from {{ ref('fct_regulatory_actions') }}
),

action_aggregates as (
    select cast(coalesce(sum(actions), 0) as {{ dbl }}) as actions
    from {{ ref('regulatory_actions_by_jurisdiction_year_type') }}
),

fact_rows as (
    select
        'fct_breaches' as mart,
        count(*) as fact_rows
    from {{ ref('fct_breaches') }}

    union all

    select
        'fct_breach_records' as mart,
        count(*) as fact_rows
    from {{ ref('fct_breach_records') }}

    union all

    select
        'fct_penalties' as mart,
        count(*) as fact_rows
    from {{ ref('fct_penalties') }}

    union all

    select
        'fct_regulatory_actions' as mart,
        count(*) as fact_rows
    from {{ ref('fct_regulatory_actions') }}

    union all

    select
        'bridge_regulatory_action_targets' as mart,
        count(*) as fact_rows
    from {{ ref('bridge_regulatory_action_targets') }}
),

fact_row_aggregates as (
    select
        mart,
        sum(fact_rows) as fact_rows
    from {{ ref('fact_rows_by_mart_source') }}
    group by mart
),

checks as (
    select
        'breaches' as measure,
        breach_aggregates.breaches as aggregated,
        breach_facts.breaches as expected
    from breach_aggregates cross join breach_facts

    union all

    select
        'records_exposed' as measure,
        breach_aggregates.records_exposed as aggregated,
        breach_facts.records_exposed as expected
    from breach_aggregates cross join breach_facts

    union all

    select
        'breach records' as measure,
        record_aggregates.records as aggregated,
        record_facts.records as expected
    from record_aggregates cross join record_facts

    union all

    select
        'decisions' as measure,
        penalty_aggregates.decisions as aggregated,
        penalty_facts.decisions as expected
    from penalty_aggregates cross join penalty_facts

    union all

    select
        'current amount_usd' as measure,
        penalty_aggregates.current_usd as aggregated,
        penalty_facts.current_usd as expected
    from penalty_aggregates cross join penalty_facts

    union all

    select
        'current amount_eur' as measure,
        penalty_aggregates.current_eur as aggregated,
        penalty_facts.current_eur as expected
    from penalty_aggregates cross join penalty_facts

    union all

    select
        'regulatory actions' as measure,
        action_aggregates.actions as aggregated,
        action_facts.actions as expected
    from action_aggregates cross join action_facts

    union all

    select
        {{ dbt.concat(["'fact rows of '", 'fact_rows.mart']) }} as measure,
        cast(coalesce(fact_row_aggregates.fact_rows, 0) as {{ dbl }}) as aggregated,
        cast(fact_rows.fact_rows as {{ dbl }}) as expected
    from fact_rows
    left join fact_row_aggregates on fact_rows.mart = fact_row_aggregates.mart
)

select * from checks
where aggregated != expected
