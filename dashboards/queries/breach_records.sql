{% from "_selection.sql" import selection, in_selection %}
-- Records by data type per jurisdiction and year of the selection, largest first, at most
-- $row_limit rows.
with {{ selection() }}
select
    f.jurisdiction_code, j.jurisdiction_name, f.breach_year,
    f.data_type, f.is_counted, f.records, f.breaches
from agg_breach_records_by_jurisdiction_year_type as f
{{ in_selection('f', 'breach_year') }}
join dim_jurisdictions as j on j.jurisdiction_code = f.jurisdiction_code
order by f.records desc, f.jurisdiction_code, f.breach_year, f.data_type, f.is_counted
limit $row_limit
