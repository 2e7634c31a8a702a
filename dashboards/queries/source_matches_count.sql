{% from "_selection.sql" import selection, in_selection %}
-- How many source rows counted in another row's breach the selection has.
with {{ selection() }},
matches as (
    select jurisdiction_code, year(reported_on) as reported_year
    from breach_source_matches
)
select count(*) as n
from matches as f
{{ in_selection('f', 'reported_year') }}
