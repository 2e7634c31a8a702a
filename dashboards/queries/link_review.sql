{% from "_selection.sql" import selection, in_selection %}
-- The breach linkage's undecided pairs (breach_link_review: a match probability below the
-- threshold, from linkage_review_from up) whose first row is in the selection by its
-- jurisdiction and year reported, the most probable first, at most $row_limit rows.
with {{ selection() }},
pairs as (
    select *, year(reported_on) as reported_year
    from breach_link_review
)
select f.* exclude (reported_year)
from pairs as f
{{ in_selection('f', 'reported_year') }}
order by f.match_probability desc, f.breach_id, f.other_breach_id
limit $row_limit
