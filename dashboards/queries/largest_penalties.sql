{% from "_selection.sql" import selection, in_selection %}
{% from "_columns.sql" import penalty_columns, amount, named_and_sourced %}
-- The largest current decisions of the selection by amount in $currency (at most
-- $row_limit), largest first, each followed when $include_history by its earlier
-- versions in the selection (chain_id: the first version, from the listing mart).
with {{ selection() }},
listed as (
    select
        f.current_penalty_id,
        {{ amount() }} as listed_amount,
        f.announced_on as listed_on
    from agg_largest_penalties_by_jurisdiction_year as f
    {{ in_selection('f', 'penalty_year') }}
    where f.versions_back = 0
    order by listed_amount desc nulls last, f.announced_on, f.penalty_id
    limit $row_limit
)
select {{ penalty_columns() }}, f.chain_id, f.current_penalty_id, f.versions_back
from agg_largest_penalties_by_jurisdiction_year as f
join listed as l on l.current_penalty_id = f.current_penalty_id
left join selection
    on selection.jurisdiction_code = f.jurisdiction_code
    and selection.year = f.penalty_year
{{ named_and_sourced() }}
where f.versions_back = 0 or ($include_history and selection.year is not null)
order by l.listed_amount desc nulls last, l.listed_on, l.current_penalty_id, f.versions_back
