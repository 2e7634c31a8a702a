{% from "_selection.sql" import selection, in_selection %}
{% from "_columns.sql" import breach_columns, breach_order, named_and_sourced, name_picked %}
-- The selection's breaches (counted or not), largest first, at most $row_limit: the CSV
-- download, the only breach query that reads the fact table.
with {{ selection() }},
picked as (
    select f.*
    from fct_breaches as f
    {{ in_selection('f', 'breach_year') }}
    {{ breach_order() }}
    limit $row_limit
),
{{ name_picked() }}
select {{ breach_columns() }}
from f
{{ named_and_sourced() }}
{{ breach_order() }}
