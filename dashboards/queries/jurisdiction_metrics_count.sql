-- How many agg_jurisdiction_year_metrics rows the jurisdictions in $codes have in the years.
select count(*) as n
from agg_jurisdiction_year_metrics as m
where list_contains($codes, m.jurisdiction_code) and m.year between $first_year and $last_year
