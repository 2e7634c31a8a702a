{% from "_selection.sql" import selection, in_selection, of_types %}
{% from "_columns.sql" import action_columns, named_and_sourced %}
-- The selection's regulatory actions of $types (every type when empty) as the CSV
-- download gives them, latest first, at most $row_limit, with the organizations each
-- names.
with {{ selection() }},
named as (
    select action_id, organization_name || ' (' || target_role || ')' as target
    from bridge_regulatory_action_targets
),
targets as (
    select action_id, string_agg(target, '; ' order by target) as targets
    from named
    group by action_id
)
select {{ action_columns('t.targets') }}
from fct_regulatory_actions as f
{{ in_selection('f', 'action_year') }}
left join targets as t on t.action_id = f.action_id
{{ named_and_sourced() }}
where {{ of_types('f') }}
order by f.action_on desc, f.action_id desc
limit $row_limit
