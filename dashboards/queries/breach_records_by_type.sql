{% from "_selection.sql" import selection, in_selection %}
-- Records exposed per data type in the selection's breaches (counted ones only unless
-- $include_uncounted), largest first.
with {{ selection() }}
select f.data_type, sum(f.records)::bigint as records, sum(f.breaches)::bigint as breaches
from agg_breach_records_by_jurisdiction_year_type as f
{{ in_selection('f', 'breach_year') }}
where $include_uncounted or f.is_counted
group by f.data_type
order by records desc, f.data_type
