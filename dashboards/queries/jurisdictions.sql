-- Every jurisdiction: code, name, level, country, ISO alpha-3, population; the world
-- first, then regions, supranational groups, countries and subdivisions, by name.
select
    jurisdiction_code, jurisdiction_name, jurisdiction_level, parent_code,
    country_code, iso_alpha3, population
from dim_jurisdictions
order by
    case jurisdiction_level
        when 'world' then 0 when 'supranational' then 1 when 'region' then 2
        when 'country' then 3 else 4
    end,
    jurisdiction_name
