{% from "_selection.sql" import selection, reported_in_selection %}
-- The source rows counted in another row's breach (breach_source_matches), each with the
-- rule or the match probability that put it there, in the selection by the row's own
-- jurisdiction and year reported; by breach, at most $row_limit rows.
with {{ selection() }}
{{ reported_in_selection('breach_source_matches') }}
order by breach_id, source_name, source_record_id
limit $row_limit
