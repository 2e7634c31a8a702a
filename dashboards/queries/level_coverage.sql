-- Per source: how many jurisdictions at a level in $levels it reports facts of $metric
-- for over the years, and how many of those jurisdictions have facts at all.
with picked as (
    select * from source_coverage
    where
        list_contains($levels, jurisdiction_level)
        and year between $first_year and $last_year
        and metric = $metric
)
select
    source_name,
    count(distinct jurisdiction_code)::bigint as jurisdictions,
    sum(facts)::bigint as facts,
    (select count(distinct jurisdiction_code) from picked)::bigint as with_facts
from picked
group by source_name
order by jurisdictions desc, source_name
