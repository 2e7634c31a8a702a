-- One row per year of the CPI-U series: its annual average and the factor that takes a US
-- dollar amount of that year to constant dollars of the base year (var
-- constant_usd_base_year; null, the default, takes the latest year whose twelve monthly
-- indexes are all published). A year whose average covers fewer months (cpi_basis
-- year_to_date_average or incomplete_year_average) still deflates, flagged as such.

{%- set base_year = var('constant_usd_base_year') %}

with

cpi as (
    select * from {{ ref('stg_seeds__cpi_u_annual') }}
),

chosen as (
    {%- if base_year is none %}
    select max(cpi_year) as base_year
    from cpi
    where cpi_basis = 'annual_average'
    {%- else %}
    select {{ base_year | int }} as base_year
    {%- endif %}
),

base as (
    select
        cpi.cpi_year as base_year,
        cpi.cpi_u as base_cpi_u
    from cpi
    inner join chosen on cpi.cpi_year = chosen.base_year
)

select
    cpi.cpi_year,
    cpi.cpi_u,
    cpi.cpi_months,
    cpi.cpi_basis,
    base.base_year,
    base.base_cpi_u,
    cast(base.base_cpi_u as {{ type_double() }}) / cast(cpi.cpi_u as {{ type_double() }}) as to_base_year_factor,
    cpi.cpi_source_id
from cpi
cross join base
