-- The population of a region, the world or the EU in a year is the sum over its member
-- countries of that year that have a yearly series, when every one of them has a figure
-- that year, and is missing (null) otherwise; a group never counts a subdivision.
with

populations as (
    select * from {{ ref('dim_jurisdiction_populations') }}
),

series as (
    select distinct jurisdiction_code
    from {{ ref('stg_seeds__population_by_year') }}
),

member_years as (
    select
        hierarchy.rollup_code,
        populations.year,
        populations.population
    from {{ ref('dim_jurisdiction_hierarchy') }} as hierarchy
    inner join series on hierarchy.jurisdiction_code = series.jurisdiction_code
    inner join populations on {{ rolls_up_into('populations', 'year') }}
    where
        populations.jurisdiction_level = 'country'
        and hierarchy.rollup_level in ('region', 'world', 'supranational')
),

expected as (
    select
        rollup_code as jurisdiction_code,
        year,
        case when count(*) = count(population) then sum(population) end as population
    from member_years
    group by rollup_code, year
)

select
    populations.jurisdiction_code,
    populations.year,
    populations.population,
    expected.population as expected_population
from populations
left join expected
    on populations.jurisdiction_code = expected.jurisdiction_code and populations.year = expected.year
where
    populations.jurisdiction_level in ('region', 'world', 'supranational')
    and (
        coalesce(populations.population, -1) != coalesce(expected.population, -1)
        or (populations.population is null) != (populations.population_basis = 'missing')
    )
