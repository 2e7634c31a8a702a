-- Regulatory actions per jurisdiction, year and action type: the counts behind the
-- dashboard's action listings and its action-type options.

select
    jurisdiction_code,
    country_code,
    action_year,
    action_type,
    cast(count(*) as {{ dbt.type_bigint() }}) as actions
from {{ ref('fct_regulatory_actions') }}
group by jurisdiction_code, country_code, action_year, action_type
