{% from "_selection.sql" import selection, in_selection %}
{% from "_columns.sql" import penalty_columns, named_and_sourced, name_picked %}
-- The selection's decisions as the CSV download gives them, at most $row_limit: current
-- decisions largest first, each followed by its earlier amounts (agg_penalty_versions:
-- the current decision of each version's history).
with {{ selection() }},
picked as (
    select
        f.*,
        coalesce(h.amount_usd, f.amount_usd) as listed_amount,
        coalesce(h.announced_on, f.announced_on) as listed_on,
        coalesce(h.penalty_id, f.penalty_id) as listed_id,
        v.versions_back
    from fct_penalties as f
    {{ in_selection('f', 'penalty_year') }}
    left join agg_penalty_versions as v on v.penalty_id = f.penalty_id
    left join fct_penalties as h on h.penalty_id = v.current_penalty_id
    order by listed_amount desc nulls last, listed_on, listed_id, v.versions_back
    limit $row_limit
),
{{ name_picked() }}
select {{ penalty_columns() }}
from f
{{ named_and_sourced() }}
order by f.listed_amount desc nulls last, f.listed_on, f.listed_id, f.versions_back
