{% from "_selection.sql" import selection, in_selection, of_types %}
{% from "_columns.sql" import action_columns, named_and_sourced %}
-- The latest regulatory actions of the selection of $types (every type when empty), at
-- most $row_limit, latest first, with the organizations each names.
with {{ selection() }}
select {{ action_columns('f.targets') }}
from agg_latest_regulatory_actions_by_jurisdiction_year_type as f
{{ in_selection('f', 'action_year') }}
{{ named_and_sourced() }}
where {{ of_types('f') }}
order by f.action_on desc, f.action_id desc
limit $row_limit
