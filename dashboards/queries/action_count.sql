{% from "_selection.sql" import selection, in_selection, of_types %}
-- How many regulatory actions of $types (every type when empty) the selection has.
with {{ selection() }}
select sum(f.actions)::bigint as n
from agg_regulatory_actions_by_jurisdiction_year_type as f
{{ in_selection('f', 'action_year') }}
where {{ of_types('f') }}
