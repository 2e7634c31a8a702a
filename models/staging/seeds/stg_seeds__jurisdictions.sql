select
    jurisdiction_code,
    jurisdiction_name,
    jurisdiction_level,
    parent_code,
    region as region_name,
    subregion as subregion_name,
    iso_alpha3,
    iso_numeric,
    cast(population as {{ dbt.type_bigint() }}) as population,
    population_source_id
from {{ ref('jurisdictions') }}
