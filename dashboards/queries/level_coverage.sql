{% from "_coverage.sql" import picked_coverage %}
-- Per source: how many jurisdictions at a level in $levels it reports facts of $metric
-- for over the years, and how many of those jurisdictions have facts at all.
with {{ picked_coverage('jurisdiction_level', '$levels') }}
select
    source_name,
    count(distinct jurisdiction_code)::bigint as jurisdictions,
    sum(facts)::bigint as facts,
    (select count(distinct jurisdiction_code) from picked)::bigint as with_facts
from picked
group by source_name
order by jurisdictions desc, source_name
