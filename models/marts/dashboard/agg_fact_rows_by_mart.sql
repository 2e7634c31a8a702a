-- Rows of each fact mart and the first and last date of its facts, summed over the
-- sources they cite (fact_rows_by_mart_source): the Data page's row counts and date
-- ranges without scanning the fact tables.

select
    mart,
    cast(sum(fact_rows) as {{ dbt.type_bigint() }}) as fact_rows,
    min(first_date) as first_date,
    max(last_date) as last_date
from {{ ref('fact_rows_by_mart_source') }}
group by mart
