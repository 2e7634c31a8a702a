-- Which sources a comparison stands on: one row per jurisdiction (every level, rolled up as
-- in agg_jurisdiction_year_metrics), year, metric and contributing source, with how many of
-- the jurisdiction-year's facts the source reports. Breaches count a breach for every
-- source that reports it (its anchor row and every row matched to it), so a breach two
-- sources report covers both; penalties and regulatory actions count their own source.
-- A jurisdiction-year without a row for a metric has no source covering it: a zero there
-- means "not covered", not "nothing happened".
-- Metrics: breaches (also the coverage of records exposed), penalties, regulatory_actions.

with

hierarchy as (
    select
        jurisdiction_code,
        rollup_code,
        member_from_year,
        member_to_year
    from {{ ref('dim_jurisdiction_hierarchy') }}
),

counted_breaches as (
    select
        breach_id,
        jurisdiction_code,
        breach_year,
        source_name
    from {{ ref('fct_breaches') }}
    where is_counted
),

breach_reports as (
    select
        jurisdiction_code,
        breach_year as year_number,
        source_name,
        breach_id
    from counted_breaches

    union

    select
        counted_breaches.jurisdiction_code,
        counted_breaches.breach_year as year_number,
        matches.source_name,
        counted_breaches.breach_id
    from {{ ref('breach_source_matches') }} as matches
    inner join counted_breaches on matches.breach_id = counted_breaches.breach_id
),

facts as (
    select
        jurisdiction_code,
        year_number,
        'breaches' as metric,
        source_name,
        count(*) as facts
    from breach_reports
    group by jurisdiction_code, year_number, source_name

    union all

    select
        jurisdiction_code,
        penalty_year as year_number,
        'penalties' as metric,
        source_name,
        count(*) as facts
    from {{ ref('fct_penalties') }}
    where is_current and penalty_year is not null
    group by jurisdiction_code, penalty_year, source_name

    union all

    select
        jurisdiction_code,
        action_year as year_number,
        'regulatory_actions' as metric,
        source_name,
        count(*) as facts
    from {{ ref('fct_regulatory_actions') }}
    group by jurisdiction_code, action_year, source_name
),

-- Every fact of a metric once: a breach several sources report is one breach (one row of
-- fct_breaches, whose jurisdiction and year every report of it carries).
fact_totals as (
    select
        jurisdiction_code,
        breach_year as year_number,
        'breaches' as metric,
        count(*) as facts
    from counted_breaches
    group by jurisdiction_code, breach_year

    union all

    select
        jurisdiction_code,
        year_number,
        metric,
        sum(facts) as facts
    from facts
    where metric != 'breaches'
    group by jurisdiction_code, year_number, metric
),

-- Both roll up through the hierarchy as agg_jurisdiction_year_metrics does.
rolled_up as (
    select
        hierarchy.rollup_code as jurisdiction_code,
        facts.year_number,
        facts.metric,
        facts.source_name,
        sum(facts.facts) as facts
    from facts
    inner join hierarchy on {{ rolls_up_into('facts', 'year_number') }}
    where facts.year_number between {{ var('first_year') }} and {{ var('last_year') }}
    group by hierarchy.rollup_code, facts.year_number, facts.metric, facts.source_name
),

totals as (
    select
        hierarchy.rollup_code as jurisdiction_code,
        fact_totals.year_number,
        fact_totals.metric,
        sum(fact_totals.facts) as facts
    from fact_totals
    inner join hierarchy on {{ rolls_up_into('fact_totals', 'year_number') }}
    where fact_totals.year_number between {{ var('first_year') }} and {{ var('last_year') }}
    group by hierarchy.rollup_code, fact_totals.year_number, fact_totals.metric
)

select
    rolled_up.jurisdiction_code,
    jurisdictions.jurisdiction_level,
    cast(rolled_up.year_number as {{ dbt.type_int() }}) as year,
    rolled_up.metric,
    rolled_up.source_name,
    cast(rolled_up.facts as {{ dbt.type_bigint() }}) as facts,
    cast(totals.facts as {{ dbt.type_bigint() }}) as metric_facts,
    cast(rolled_up.facts as {{ type_double() }}) / totals.facts as share_of_facts
from rolled_up
inner join totals
    on
        rolled_up.jurisdiction_code = totals.jurisdiction_code
        and rolled_up.year_number = totals.year_number
        and rolled_up.metric = totals.metric
inner join {{ ref('dim_jurisdictions') }} as jurisdictions
    on rolled_up.jurisdiction_code = jurisdictions.jurisdiction_code
