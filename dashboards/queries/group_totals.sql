{% from "_selection.sql" import selection %}
-- The $row_limit largest organization groups of the selection with their totals (a
-- subsidiary counted in its parent company's group), ranked by $order: breaches (by
-- records exposed), penalties_usd or penalties_eur (by money); a group is listed when it
-- has some of what is ranked.
with {{ selection() }},
totals as (
    select
        g.group_organization_id,
        g.group_name,
        sum(g.breaches)::bigint as breaches,
        sum(g.records_exposed)::bigint as records_exposed,
        sum(g.penalties)::bigint as penalties,
        sum(g.penalties_usd)::double as penalties_usd,
        sum(g.penalties_eur)::double as penalties_eur
    from agg_organization_groups_by_jurisdiction_year as g
    semi join selection
        on selection.jurisdiction_code = g.jurisdiction_code
        and selection.year = g.year
    group by g.group_organization_id, g.group_name
)
select group_name, breaches, records_exposed, penalties, penalties_usd, penalties_eur
from totals
where case when $order = 'breaches' then breaches else penalties end > 0
order by
    case $order
        when 'breaches' then records_exposed::double
        when 'penalties_eur' then penalties_eur
        else penalties_usd
    end desc,
    case when $order = 'breaches' then breaches else penalties end desc,
    group_name
limit $row_limit
