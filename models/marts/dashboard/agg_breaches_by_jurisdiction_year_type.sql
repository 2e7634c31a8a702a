-- Breaches and records exposed per jurisdiction the breach is recorded in, year reported,
-- breach type and whether it is counted in the metrics. The dashboard rolls these rows up
-- into any selection through dim_jurisdiction_hierarchy instead of reading fct_breaches.

select
    jurisdiction_code,
    country_code,
    breach_year,
    breach_type,
    is_counted,
    cast(count(*) as {{ dbt.type_bigint() }}) as breaches,
    cast(sum(coalesce(records_exposed, 0)) as {{ dbt.type_bigint() }}) as records_exposed,
    cast(count(records_exposed) as {{ dbt.type_bigint() }}) as breaches_with_records
from {{ ref('fct_breaches') }}
group by jurisdiction_code, country_code, breach_year, breach_type, is_counted
