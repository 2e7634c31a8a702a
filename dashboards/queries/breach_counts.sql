{% from "_selection.sql" import selection, in_selection %}
-- Breaches and records exposed of the selection per year, breach type and is_counted.
with {{ selection() }}
select
    f.breach_year, f.breach_type, f.is_counted,
    sum(f.breaches)::bigint as breaches,
    sum(f.records_exposed)::bigint as records_exposed
from agg_breaches_by_jurisdiction_year_type as f
{{ in_selection('f', 'breach_year') }}
group by all
order by f.breach_year, f.breach_type, f.is_counted
