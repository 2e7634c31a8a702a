{% from "_selection.sql" import selection, in_selection %}
-- How many undecided pairs of the breach linkage the selection has.
with {{ selection() }},
pairs as (
    select jurisdiction_code, year(reported_on) as reported_year
    from breach_link_review
)
select count(*) as n
from pairs as f
{{ in_selection('f', 'reported_year') }}
