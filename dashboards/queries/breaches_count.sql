{% from "_selection.sql" import selection, in_selection %}
-- How many breaches the selection has, counted or not.
with {{ selection() }}
select sum(f.breaches)::bigint as n
from agg_breaches_by_jurisdiction_year_type as f
{{ in_selection('f', 'breach_year') }}
