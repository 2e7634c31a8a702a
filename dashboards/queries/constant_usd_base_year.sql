-- The year whose prices constant dollars are in (null when the warehouse has none).
select max(base_year) as base_year
from dim_cpi_deflators
