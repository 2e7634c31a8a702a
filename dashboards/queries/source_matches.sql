{% from "_selection.sql" import selection, in_selection %}
-- The source rows counted in another row's breach (breach_source_matches), each with the
-- rule or the match probability that put it there, in the selection by the row's own
-- jurisdiction and year reported; by breach, at most $row_limit rows.
with {{ selection() }},
matches as (
    select *, year(reported_on) as reported_year
    from breach_source_matches
)
select f.* exclude (reported_year)
from matches as f
{{ in_selection('f', 'reported_year') }}
order by f.breach_id, f.source_name, f.source_record_id
limit $row_limit
