-- Records exposed per jurisdiction, year reported, data type and whether the breach is
-- counted: the totals behind the dashboard's records-by-data-type chart. fct_breach_records
-- carries each row's breach attributes, so this reads that table alone.

select
    jurisdiction_code,
    breach_year,
    data_type,
    is_counted,
    cast(sum(records) as {{ dbt.type_bigint() }}) as records,
    cast(count(distinct breach_id) as {{ dbt.type_bigint() }}) as breaches
from {{ ref('fct_breach_records') }}
group by jurisdiction_code, breach_year, data_type, is_counted
