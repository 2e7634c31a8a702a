-- CPI-U as BLS publishes it: the 2020 annual average is 258.811 over twelve months. The
-- base year of constant dollars (var constant_usd_base_year, default the latest full year)
-- must have a CPI-U average over all twelve months: an unknown base year leaves
-- dim_cpi_deflators empty, and a partial one would deflate by an incomplete year.
with

deflators as (
    select * from {{ ref('dim_cpi_deflators') }}
),

problems as (
    select 'CPI-U 2020 annual average is not 258.811 over 12 months' as problem
    from (select count(*) as matching from deflators
        where cpi_year = 2020 and cpi_u = 258.811 and cpi_months = 12) as known
    where known.matching != 1

    union all

    select 'no CPI-U figure for the constant-dollar base year' as problem
    from (select count(*) as deflator_rows from deflators) as counted
    where counted.deflator_rows = 0

    union all

    select distinct 'the constant-dollar base year is not a full CPI-U year' as problem
    from deflators
    inner join deflators as base_row on deflators.base_year = base_row.cpi_year
    where base_row.cpi_basis != 'annual_average' or base_row.cpi_months != 12
)

select * from problems
