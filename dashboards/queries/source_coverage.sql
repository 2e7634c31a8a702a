{% from "_coverage.sql" import picked_coverage %}
-- Per jurisdiction in $codes and contributing source, over the years: the facts of
-- $metric the source reports, its first and last year, and its share of the
-- jurisdiction's facts.
with {{ picked_coverage('jurisdiction_code', '$codes') }},
totals as (
    select jurisdiction_code, sum(metric_facts) as metric_facts
    from (select distinct jurisdiction_code, year, metric_facts from picked)
    group by jurisdiction_code
)
select
    p.jurisdiction_code, j.jurisdiction_name, p.source_name,
    sum(p.facts)::bigint as facts, min(p.year) as first_year, max(p.year) as last_year,
    sum(p.facts)::double / max(t.metric_facts) as share
from picked as p
join totals as t using (jurisdiction_code)
join dim_jurisdictions as j using (jurisdiction_code)
group by p.jurisdiction_code, j.jurisdiction_name, p.source_name
order by p.jurisdiction_code, facts desc, p.source_name
