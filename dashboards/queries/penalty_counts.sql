{% from "_selection.sql" import selection, in_selection %}
-- Decisions of the selection and their totals, current and superseded (is_current).
with {{ selection() }}
select
    f.is_current,
    sum(f.decisions)::bigint as decisions,
    sum(f.amount_usd)::double as amount_usd,
    sum(f.amount_eur)::double as amount_eur,
    sum(f.amount_usd_constant)::double as amount_usd_constant
from agg_penalties_by_authority_year as f
{{ in_selection('f', 'penalty_year') }}
group by f.is_current
order by f.is_current desc
