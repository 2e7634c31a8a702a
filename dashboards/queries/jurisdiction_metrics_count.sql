-- How many jurisdiction_year_metrics rows the jurisdictions in $codes have in the years.
select count(*) as n
from jurisdiction_year_metrics as m
where list_contains($codes, m.jurisdiction_code) and m.year between $first_year and $last_year
