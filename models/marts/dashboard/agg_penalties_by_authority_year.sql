-- Decisions and their converted amounts per jurisdiction, authority, year of the decision
-- and whether the row is current (superseded amounts are history): the totals behind the
-- dashboard's amounts-by-authority chart and its decision counts (amount_usd_constant: in
-- constant dollars of the CPI-U base year, fct_penalties.constant_usd_base_year). A
-- decision without a date (the source states none) is in no year.

select
    jurisdiction_code,
    country_code,
    authority,
    penalty_year,
    is_current,
    cast(count(*) as {{ dbt.type_bigint() }}) as decisions,
    cast(sum(coalesce(amount_usd, 0)) as {{ type_money() }}) as amount_usd,
    cast(sum(coalesce(amount_eur, 0)) as {{ type_money() }}) as amount_eur,
    cast(sum(coalesce(amount_usd_constant, 0)) as {{ type_money() }}) as amount_usd_constant
from {{ ref('fct_penalties') }}
where penalty_year is not null
group by jurisdiction_code, country_code, authority, penalty_year, is_current
