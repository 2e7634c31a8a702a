-- One row per jurisdiction (subdivision, country, supranational group, region, world) and
-- year of the spine, zero where nothing happened. Facts are counted where they happened and
-- in every jurisdiction that contains it (dim_jurisdiction_hierarchy): a fine in US-IL counts
-- for US-IL, US, the Americas and the world. Superseded penalty amounts, alleged breaches and
-- excluded source rows are never counted. Per-million figures divide by the population of
-- the row's own year (dim_jurisdiction_populations, with its basis, year and source); where a
-- jurisdiction-year has none they are null, never a division by another year's figure.
-- penalties_usd_constant is in constant dollars of the CPI-U base year (dim_cpi_deflators).

{%- set action_types = var('regulatory_action_types') %}
{%- set per_million = [
    'breaches', 'records_exposed', 'penalties', 'penalties_usd', 'penalties_eur',
    'penalties_usd_constant', 'regulatory_actions'
] %}

-- noqa: disable=LT02
with

years as (
    {{ year_spine(var('first_year'), var('last_year')) }}
),

jurisdictions as (
    select
        jurisdiction_code,
        jurisdiction_name,
        jurisdiction_level
    from {{ ref('dim_jurisdictions') }}
),

populations as (
    select
        jurisdiction_code,
        year,
        population,
        population_basis,
        population_year,
        population_source_id
    from {{ ref('dim_jurisdiction_populations') }}
),

hierarchy as (
    select
        jurisdiction_code,
        rollup_code,
        member_from_year,
        member_to_year
    from {{ ref('dim_jurisdiction_hierarchy') }}
),

breach_facts as (
    select
        jurisdiction_code,
        breach_year as year_number,
        count(*) as breaches,
        sum(coalesce(records_exposed, 0)) as records_exposed,
        0 as penalties,
        cast(0 as {{ type_money() }}) as penalties_usd,
        cast(0 as {{ type_money() }}) as penalties_eur,
        cast(0 as {{ type_money() }}) as penalties_usd_constant,
        cast(null as {{ type_money() }}) as largest_penalty_usd,
        0 as regulatory_actions,
        {%- for action_type in action_types %}
        0 as actions_{{ action_type }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('fct_breaches') }}
    where is_counted
    group by jurisdiction_code, breach_year
),

penalty_facts as (
    select
        jurisdiction_code,
        penalty_year as year_number,
        0 as breaches,
        0 as records_exposed,
        count(*) as penalties,
        sum(coalesce(amount_usd, 0)) as penalties_usd,
        sum(coalesce(amount_eur, 0)) as penalties_eur,
        sum(coalesce(amount_usd_constant, 0)) as penalties_usd_constant,
        max(amount_usd) as largest_penalty_usd,
        0 as regulatory_actions,
        {%- for action_type in action_types %}
        0 as actions_{{ action_type }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('fct_penalties') }}
    where is_current and penalty_year is not null
    group by jurisdiction_code, penalty_year
),

action_facts as (
    select
        jurisdiction_code,
        action_year as year_number,
        0 as breaches,
        0 as records_exposed,
        0 as penalties,
        cast(0 as {{ type_money() }}) as penalties_usd,
        cast(0 as {{ type_money() }}) as penalties_eur,
        cast(0 as {{ type_money() }}) as penalties_usd_constant,
        cast(null as {{ type_money() }}) as largest_penalty_usd,
        count(*) as regulatory_actions,
        {%- for action_type in action_types %}
        sum(case when action_type = '{{ action_type }}' then 1 else 0 end)
            as actions_{{ action_type }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('fct_regulatory_actions') }}
    group by jurisdiction_code, action_year
),

facts as (
    select * from breach_facts
    union all
    select * from penalty_facts
    union all
    select * from action_facts
),

rolled_up as (
    select
        hierarchy.rollup_code as jurisdiction_code,
        facts.year_number,
        sum(facts.breaches) as breaches,
        sum(facts.records_exposed) as records_exposed,
        sum(facts.penalties) as penalties,
        sum(facts.penalties_usd) as penalties_usd,
        sum(facts.penalties_eur) as penalties_eur,
        sum(facts.penalties_usd_constant) as penalties_usd_constant,
        max(facts.largest_penalty_usd) as largest_penalty_usd,
        sum(facts.regulatory_actions) as regulatory_actions,
        {%- for action_type in action_types %}
        sum(facts.actions_{{ action_type }}) as actions_{{ action_type }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from facts
    inner join hierarchy on {{ rolls_up_into('facts', 'year_number') }}
    group by hierarchy.rollup_code, facts.year_number
),

grid as (
    select
        jurisdictions.jurisdiction_code,
        jurisdictions.jurisdiction_name,
        jurisdictions.jurisdiction_level,
        years.year_number,
        populations.population,
        populations.population_basis,
        populations.population_year,
        populations.population_source_id
    from jurisdictions
    cross join years
    left join populations
        on
            jurisdictions.jurisdiction_code = populations.jurisdiction_code
            and years.year_number = populations.year
),

filled as (
    select
        grid.jurisdiction_code,
        grid.jurisdiction_name,
        grid.jurisdiction_level,
        grid.year_number,
        grid.population,
        grid.population_basis,
        grid.population_year,
        grid.population_source_id,
        cast(coalesce(rolled_up.breaches, 0) as {{ dbt.type_bigint() }}) as breaches,
        cast(coalesce(rolled_up.records_exposed, 0) as {{ dbt.type_bigint() }}) as records_exposed,
        cast(coalesce(rolled_up.penalties, 0) as {{ dbt.type_bigint() }}) as penalties,
        cast(coalesce(rolled_up.penalties_usd, 0) as {{ type_money() }}) as penalties_usd,
        cast(coalesce(rolled_up.penalties_eur, 0) as {{ type_money() }}) as penalties_eur,
        cast(coalesce(rolled_up.penalties_usd_constant, 0) as {{ type_money() }}) as penalties_usd_constant,
        cast(rolled_up.largest_penalty_usd as {{ type_money() }}) as largest_penalty_usd,
        cast(coalesce(rolled_up.regulatory_actions, 0) as {{ dbt.type_bigint() }}) as regulatory_actions,
        {%- for action_type in action_types %}
        cast(coalesce(rolled_up.actions_{{ action_type }}, 0) as {{ dbt.type_bigint() }})
            as actions_{{ action_type }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from grid
    left join rolled_up
        on
            grid.jurisdiction_code = rolled_up.jurisdiction_code
            and grid.year_number = rolled_up.year_number
)

select
    jurisdiction_code,
    jurisdiction_name,
    jurisdiction_level,
    year_number as year,
    population,
    coalesce(population_basis, 'missing') as population_basis,
    population_year,
    population_source_id,
    breaches,
    records_exposed,
    penalties,
    penalties_usd,
    penalties_eur,
    penalties_usd_constant,
    largest_penalty_usd,
    regulatory_actions,
    {%- for action_type in action_types %}
    actions_{{ action_type }},
    {%- endfor %}
    {%- for measure in per_million %}
    case
        when population > 0
            then cast({{ measure }} as {{ type_double() }}) * 1000000 / population
    end as {{ measure }}_per_million,
    {%- endfor %}
    {%- for measure in ['breaches', 'records_exposed', 'penalties', 'regulatory_actions'] %}
    cast(sum({{ measure }}) over (
        partition by jurisdiction_code order by year_number
        rows between unbounded preceding and current row
    ) as {{ dbt.type_bigint() }}) as cumulative_{{ measure }},
    {%- endfor %}
    cast(sum(penalties_usd) over (
        partition by jurisdiction_code order by year_number
        rows between unbounded preceding and current row
    ) as {{ type_money() }}) as cumulative_penalties_usd,
    cast(sum(penalties_eur) over (
        partition by jurisdiction_code order by year_number
        rows between unbounded preceding and current row
    ) as {{ type_money() }}) as cumulative_penalties_eur,
    cast(sum(penalties_usd_constant) over (
        partition by jurisdiction_code order by year_number
        rows between unbounded preceding and current row
    ) as {{ type_money() }}) as cumulative_penalties_usd_constant
from filled
