{% from "_columns.sql" import metric_columns %}
-- agg_jurisdiction_year_metrics rows of the jurisdictions in $codes, or of every jurisdiction
-- at a level in $levels, in the years, with the population each per-million figure
-- divides by; at most $row_limit rows (every row when null).
select {{ metric_columns(METRIC_COLUMNS) }}
from agg_jurisdiction_year_metrics as m
join dim_jurisdictions as j using (jurisdiction_code)
where
    (list_contains($codes, m.jurisdiction_code) or list_contains($levels, m.jurisdiction_level))
    and m.year between $first_year and $last_year
order by m.jurisdiction_code, m.year
limit $row_limit
