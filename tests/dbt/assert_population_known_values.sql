-- Published figures the population of each year must hold (SOURCES.md of the data folder):
-- the United States and China in 2020 (World Bank SP.POP.TOTL), the United States in 2024,
-- and the 50 states plus DC in 2024 adding up to it (Census vintage 2024: 340,110,988).
-- A row is a figure that differs or is missing.
with

populations as (
    select
        jurisdiction_code,
        year,
        population
    from {{ ref('dim_jurisdiction_populations') }}
),

states_and_dc as (
    select
        'US: 50 states and DC' as figure,
        2024 as year,
        sum(populations.population) as population,
        count(*) as subdivisions
    from populations
    inner join {{ ref('dim_jurisdictions') }} as jurisdictions
        on populations.jurisdiction_code = jurisdictions.jurisdiction_code
    where
        jurisdictions.parent_code = 'US'
        and jurisdictions.jurisdiction_level = 'subdivision'
        and jurisdictions.jurisdiction_code != 'US-PR'
        and populations.year = 2024
),

expected as (
    select 'US' as figure, 2020 as year, cast(331577720 as {{ dbt.type_bigint() }}) as population
    union all
    select 'CN', 2020, 1411100000
    union all
    select 'US', 2024, 340110988
    union all
    select 'US: 50 states and DC', 2024, 340110988
),

actual as (
    select
        jurisdiction_code as figure,
        year,
        population
    from populations
    where jurisdiction_code in ('US', 'CN')
    union all
    select
        figure,
        year,
        case when subdivisions = 51 then population end as population
    from states_and_dc
)

select
    expected.figure,
    expected.year,
    expected.population as expected_population,
    actual.population as actual_population
from expected
left join actual on expected.figure = actual.figure and expected.year = actual.year
where actual.population is null or actual.population != expected.population
