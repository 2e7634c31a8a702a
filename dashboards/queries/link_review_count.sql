{% from "_selection.sql" import selection, reported_in_selection %}
-- How many undecided pairs of the breach linkage the selection has.
with {{ selection() }}
select count(*) as n
from ({{ reported_in_selection('breach_link_review') }})
