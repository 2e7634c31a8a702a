select
    cast(year as {{ dbt.type_int() }}) as cpi_year,
    cast(cpi_u as decimal(10, 3)) as cpi_u,
    cast(months as {{ dbt.type_int() }}) as cpi_months,
    cpi_basis,
    source_id as cpi_source_id
from {{ ref('cpi_u_annual') }}
