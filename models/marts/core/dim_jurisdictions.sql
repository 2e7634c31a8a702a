with

jurisdictions as (
    select * from {{ ref('stg_seeds__jurisdictions') }}
)

select
    jurisdictions.jurisdiction_code,
    jurisdictions.jurisdiction_name,
    jurisdictions.jurisdiction_level,
    jurisdictions.parent_code,
    {{ country_code_of('jurisdictions') }} as country_code,
    jurisdictions.region_name as region,
    jurisdictions.subregion_name as subregion,
    jurisdictions.iso_alpha3,
    jurisdictions.population,
    jurisdictions.population_source_id
from jurisdictions
