{% from "_selection.sql" import selection, in_selection %}
{% from "_columns.sql" import breach_columns, breach_order, named_and_sourced %}
-- The selection's listed breaches (counted ones only unless $include_uncounted), largest
-- first, at most $row_limit, with their source.
with {{ selection() }}
select {{ breach_columns() }}
from agg_largest_breaches_by_jurisdiction_year as f
{{ in_selection('f', 'breach_year') }}
{{ named_and_sourced() }}
where $include_uncounted or f.is_counted
{{ breach_order() }}
limit $row_limit
