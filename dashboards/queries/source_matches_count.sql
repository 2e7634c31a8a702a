{% from "_selection.sql" import selection, reported_in_selection %}
-- How many source rows counted in another row's breach the selection has.
with {{ selection() }}
select count(*) as n
from ({{ reported_in_selection('breach_source_matches') }})
