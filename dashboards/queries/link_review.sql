{% from "_selection.sql" import selection, reported_in_selection %}
-- The breach linkage's undecided pairs (breach_link_review: a match probability below the
-- threshold, from linkage_review_from up) whose first row is in the selection by its
-- jurisdiction and year reported, the most probable first, at most $row_limit rows.
with {{ selection() }}
{{ reported_in_selection('breach_link_review') }}
order by match_probability desc, breach_id, other_breach_id
limit $row_limit
