{% from "_selection.sql" import selection, in_selection %}
{% from "_columns.sql" import amount %}
-- Current decisions and their total in $currency per authority and colour key (the
-- country, else the jurisdiction) for the $row_limit authorities with the largest totals.
with {{ selection() }},
totals as (
    select
        f.authority,
        coalesce(f.country_code, f.jurisdiction_code) as color_code,
        sum(f.decisions)::bigint as decisions,
        sum({{ amount() }})::double as total
    from agg_penalties_by_authority_year as f
    {{ in_selection('f', 'penalty_year') }}
    where f.is_current
    group by all
),
ranked as (
    select
        authority,
        dense_rank() over (order by authority_total desc, authority nulls last) as authority_rank
    from (select authority, sum(total) as authority_total from totals group by authority)
)
select t.authority, t.color_code, t.decisions, t.total
from totals as t
join ranked as r on r.authority is not distinct from t.authority
where r.authority_rank <= $row_limit
order by r.authority_rank, t.total desc, t.color_code
