-- Every per-million figure divides by the population of its own year
-- (dim_jurisdiction_populations), and is null, never zero, where that year has none. The
-- United States' and China's 2000 and 2024 figures divide by different populations.
{%- set per_million = [
    'breaches', 'records_exposed', 'penalties', 'penalties_usd', 'penalties_eur',
    'penalties_usd_constant', 'regulatory_actions'
] %}
{%- set dbl = type_double() %}

with

metrics as (
    select * from {{ ref('agg_jurisdiction_year_metrics') }}
),

populations as (
    select * from {{ ref('dim_jurisdiction_populations') }}
),

problems as (
    select
        metrics.jurisdiction_code,
        metrics.year,
        'population is not the population of the year' as problem
    from metrics
    left join populations
        on metrics.jurisdiction_code = populations.jurisdiction_code and metrics.year = populations.year
    where
        populations.jurisdiction_code is null
        or coalesce(metrics.population, -1) != coalesce(populations.population, -1)
        or metrics.population_basis != populations.population_basis
    {%- for measure in per_million %}

    union all

    select
        jurisdiction_code,
        year,
        '{{ measure }}_per_million does not divide by the population of the year' as problem
    from metrics
    where
        (population is null and {{ measure }}_per_million is not null)
        or (population is not null and (
            {{ measure }}_per_million is null
            or abs({{ measure }}_per_million - cast({{ measure }} as {{ dbl }}) * 1000000 / population)
            > 1e-9 * (1 + abs({{ measure }}_per_million))
        ))
    {%- endfor %}

    union all

    select
        early.jurisdiction_code,
        early.year,
        'the 2000 and 2024 figures divide by the same population' as problem
    from metrics as early
    inner join metrics as late
        on early.jurisdiction_code = late.jurisdiction_code and late.year = 2024
    where
        early.jurisdiction_code in ('US', 'CN')
        and early.year = 2000
        and (early.population is null or late.population is null or early.population = late.population)
)

select * from problems
