{% from "_selection.sql" import selection, in_selection %}
{% from "_columns.sql" import breach_columns, breach_order, named_and_sourced %}
-- The $row_limit largest counted breaches of the selection and the $row_limit largest
-- others (alleged or excluded), largest first, from one scan of the listing mart.
with {{ selection() }},
candidates as materialized (
    select {{ breach_columns() }}
    from agg_largest_breaches_by_jurisdiction_year as f
    {{ in_selection('f', 'breach_year') }}
    {{ named_and_sourced() }}
)
select * from (
    (select * from candidates as f where f.is_counted {{ breach_order() }} limit $row_limit)
    union all
    (select * from candidates as f where not f.is_counted {{ breach_order() }} limit $row_limit)
) as f
{{ breach_order() }}
