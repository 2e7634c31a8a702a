{% from "_selection.sql" import selection, in_selection %}
-- How many decisions the selection has, current and superseded.
with {{ selection() }}
select sum(f.decisions)::bigint as n
from agg_penalties_by_authority_year as f
{{ in_selection('f', 'penalty_year') }}
