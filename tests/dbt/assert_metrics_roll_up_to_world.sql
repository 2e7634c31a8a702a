-- The world's totals equal the sum over countries plus facts recorded directly at a level
-- above country (EU, regions, world), year by year.
with

world as (
    select year, breaches, penalties_usd, regulatory_actions
    from {{ ref('agg_jurisdiction_year_metrics') }}
    where jurisdiction_code = 'WORLD'
),

facts as (
    select breach_year as year, count(*) as breaches, 0 as penalties_usd, 0 as regulatory_actions
    from {{ ref('fct_breaches') }}
    where is_counted and breach_year between {{ var('first_year') }} and {{ var('last_year') }}
    group by breach_year
    union all
    select penalty_year, 0, sum(amount_usd), 0
    from {{ ref('fct_penalties') }}
    where is_current and penalty_year between {{ var('first_year') }} and {{ var('last_year') }}
    group by penalty_year
    union all
    select action_year, 0, 0, count(*)
    from {{ ref('fct_regulatory_actions') }}
    where action_year between {{ var('first_year') }} and {{ var('last_year') }}
    group by action_year
),

expected as (
    select
        year,
        sum(breaches) as breaches,
        sum(penalties_usd) as penalties_usd,
        sum(regulatory_actions) as regulatory_actions
    from facts
    group by year
)

select world.year, world.breaches, expected.breaches as expected_breaches
from world
left join expected on world.year = expected.year
where
    world.breaches != coalesce(expected.breaches, 0)
    or world.penalties_usd != coalesce(expected.penalties_usd, 0)
    or world.regulatory_actions != coalesce(expected.regulatory_actions, 0)
