{% from "_selection.sql" import selection, in_selection %}
-- How many rows of records by data type the selection has.
with {{ selection() }}
select count(*) as n
from agg_breach_records_by_jurisdiction_year_type as f
{{ in_selection('f', 'breach_year') }}
