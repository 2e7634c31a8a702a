-- The dashboard's pre-aggregated marts hold exactly the fact tables' totals: breaches,
-- records, decisions, amounts, actions and fact rows per source add up to the same
-- figures as the facts they summarise (decisions without a date are in no year).
{%- set dbl = type_double() %}
{%- set fact_marts = [
    'fct_breaches', 'fct_breach_records', 'fct_penalties', 'fct_regulatory_actions',
    'bridge_regulatory_action_targets'
] %}
{#- measure, aggregate CTE, fact CTE, column -#}
{%- set totals = [
    ('breaches', 'breach_aggregates', 'breach_facts', 'breaches'),
    ('records_exposed', 'breach_aggregates', 'breach_facts', 'records_exposed'),
    ('breach records', 'record_aggregates', 'record_facts', 'records'),
    ('decisions', 'penalty_aggregates', 'penalty_facts', 'decisions'),
    ('current amount_usd', 'penalty_aggregates', 'penalty_facts', 'current_usd'),
    ('current amount_eur', 'penalty_aggregates', 'penalty_facts', 'current_eur'),
    ('current amount_usd_constant', 'penalty_aggregates', 'penalty_facts', 'current_usd_constant'),
    ('regulatory actions', 'action_aggregates', 'action_facts', 'actions'),
] %}

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
    from {{ ref('agg_breaches_by_jurisdiction_year_type') }}
),

record_facts as (
    select cast(coalesce(sum(records), 0) as {{ dbl }}) as records
    from {{ ref('fct_breach_records') }}
),

record_aggregates as (
    select cast(coalesce(sum(records), 0) as {{ dbl }}) as records
    from {{ ref('agg_breach_records_by_jurisdiction_year_type') }}
),

penalty_facts as (
    select
        cast(count(*) as {{ dbl }}) as decisions,
        cast(coalesce(sum(case when is_current then amount_usd end), 0) as {{ dbl }}) as current_usd,
        cast(coalesce(sum(case when is_current then amount_eur end), 0) as {{ dbl }}) as current_eur,
        cast(coalesce(sum(case when is_current then amount_usd_constant end), 0) as {{ dbl }})
            as current_usd_constant
    from {{ ref('fct_penalties') }}
    -- A decision without a date is in no year's aggregates.
    where penalty_year is not null
),

penalty_aggregates as (
    select
        cast(coalesce(sum(decisions), 0) as {{ dbl }}) as decisions,
        cast(coalesce(sum(case when is_current then amount_usd end), 0) as {{ dbl }}) as current_usd,
        cast(coalesce(sum(case when is_current then amount_eur end), 0) as {{ dbl }}) as current_eur,
        cast(coalesce(sum(case when is_current then amount_usd_constant end), 0) as {{ dbl }})
            as current_usd_constant
    from {{ ref('agg_penalties_by_authority_year') }}
),

action_facts as (
    select cast(count(*) as {{ dbl }}) as actions
    from {{ ref('fct_regulatory_actions') }}
),

action_aggregates as (
    select cast(coalesce(sum(actions), 0) as {{ dbl }}) as actions
    from {{ ref('agg_regulatory_actions_by_jurisdiction_year_type') }}
),

fact_rows as (
    {%- for mart in fact_marts %}
    select
        '{{ mart }}' as mart,
        count(*) as fact_rows
    from {{ ref(mart) }}
    {%- if not loop.last %}

    union all
    {% endif %}
    {%- endfor %}
),

fact_row_aggregates as (
    select
        mart,
        sum(fact_rows) as fact_rows
    from {{ ref('fact_rows_by_mart_source') }}
    group by mart
),

checks as (
    {%- for measure, aggregates, facts, column in totals %}
    select
        '{{ measure }}' as measure,
        {{ aggregates }}.{{ column }} as aggregated,
        {{ facts }}.{{ column }} as expected
    from {{ aggregates }} cross join {{ facts }}

    union all
    {% endfor %}
    select
        {{ dbt.concat(["'fact rows of '", 'fact_rows.mart']) }} as measure,
        cast(coalesce(fact_row_aggregates.fact_rows, 0) as {{ dbl }}) as aggregated,
        cast(fact_rows.fact_rows as {{ dbl }}) as expected
    from fact_rows
    left join fact_row_aggregates on fact_rows.mart = fact_row_aggregates.mart
)

select * from checks
where aggregated != expected
