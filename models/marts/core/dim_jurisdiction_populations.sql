-- One row per jurisdiction and year of the spine: the population that year's per-million
-- figures divide by, and where it comes from (population_basis):
--   published        the series' figure of that year (stg_seeds__population_by_year);
--   carried_forward  the year after the last published one: that year's figure again;
--   static           a subdivision without a yearly series (the Chinese provinces): its one
--                    figure in dim_jurisdictions (the 2020 census) for every year;
--   sum_of_members   a region, the world or the EU: the sum over its member countries of
--                    that year (EU members for their member years) that have a yearly
--                    series, when every one of them has a figure that year;
--   missing          none of these: population is null, and so is every per-million figure.
-- population_year is the year the figure describes (for a sum, its members' earliest), so a
-- figure carried forward has population_year < year. Countries without a yearly series
-- (Taiwan, and territories the World Bank counts within another country) are missing and
-- are not part of any sum.

with

years as (
    {{ year_spine(var('first_year'), var('last_year')) }}
),

jurisdictions as (
    select
        jurisdiction_code,
        jurisdiction_level,
        population,
        population_source_id
    from {{ ref('dim_jurisdictions') }}
),

published as (
    select * from {{ ref('stg_seeds__population_by_year') }}
),

series_ends as (
    select
        jurisdiction_code,
        max(population_year) as last_population_year
    from published
    group by jurisdiction_code
),

own_figures as (
    select
        published.jurisdiction_code,
        published.population_year as year_number,
        published.population,
        published.population_year,
        published.population_source_id,
        'published' as population_basis
    from published

    union all

    select
        published.jurisdiction_code,
        published.population_year + 1 as year_number,
        published.population,
        published.population_year,
        published.population_source_id,
        'carried_forward' as population_basis
    from published
    inner join series_ends
        on
            published.jurisdiction_code = series_ends.jurisdiction_code
            and published.population_year = series_ends.last_population_year
),

static_figures as (
    select
        jurisdictions.jurisdiction_code,
        jurisdictions.population,
        jurisdictions.population_source_id
    from jurisdictions
    left join series_ends on jurisdictions.jurisdiction_code = series_ends.jurisdiction_code
    where
        jurisdictions.jurisdiction_level = 'subdivision'
        and jurisdictions.population is not null
        and series_ends.jurisdiction_code is null
),

members as (
    select
        hierarchy.rollup_code,
        hierarchy.jurisdiction_code,
        hierarchy.member_from_year,
        hierarchy.member_to_year
    from {{ ref('dim_jurisdiction_hierarchy') }} as hierarchy
    inner join jurisdictions on hierarchy.jurisdiction_code = jurisdictions.jurisdiction_code
    inner join series_ends on hierarchy.jurisdiction_code = series_ends.jurisdiction_code
    where
        jurisdictions.jurisdiction_level = 'country'
        and hierarchy.rollup_level in ('region', 'world', 'supranational')
),

member_figures as (
    select
        members.rollup_code,
        years.year_number,
        own_figures.population,
        own_figures.population_year,
        own_figures.population_source_id
    from members
    inner join years on {{ member_in_year('members', 'years.year_number') }}
    left join own_figures
        on
            members.jurisdiction_code = own_figures.jurisdiction_code
            and years.year_number = own_figures.year_number
),

sums as (
    select
        rollup_code as jurisdiction_code,
        year_number,
        case when count(*) = count(population) then sum(population) end as population,
        min(population_year) as population_year,
        case
            when min(population_source_id) = max(population_source_id)
                then min(population_source_id)
        end as population_source_id
    from member_figures
    group by rollup_code, year_number
)

select
    jurisdictions.jurisdiction_code,
    jurisdictions.jurisdiction_level,
    cast(years.year_number as {{ dbt.type_int() }}) as year,
    cast(
        coalesce(own_figures.population, static_figures.population, sums.population)
        as {{ dbt.type_bigint() }}
    ) as population,
    case
        when own_figures.population is not null then own_figures.population_basis
        when static_figures.population is not null then 'static'
        when sums.population is not null then 'sum_of_members'
        else 'missing'
    end as population_basis,
    cast(case
        when own_figures.population is not null then own_figures.population_year
        when sums.population is not null then sums.population_year
    end as {{ dbt.type_int() }}) as population_year,
    case
        when own_figures.population is not null then own_figures.population_source_id
        when static_figures.population is not null then static_figures.population_source_id
        when sums.population is not null then sums.population_source_id
    end as population_source_id
from jurisdictions
cross join years
left join own_figures
    on
        jurisdictions.jurisdiction_code = own_figures.jurisdiction_code
        and years.year_number = own_figures.year_number
left join static_figures on jurisdictions.jurisdiction_code = static_figures.jurisdiction_code
left join sums
    on
        jurisdictions.jurisdiction_code = sums.jurisdiction_code
        and years.year_number = sums.year_number
