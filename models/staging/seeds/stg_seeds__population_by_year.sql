select
    jurisdiction_code,
    cast(year as {{ dbt.type_int() }}) as population_year,
    cast(population as {{ dbt.type_bigint() }}) as population,
    source_id as population_source_id
from {{ ref('population_by_year') }}
