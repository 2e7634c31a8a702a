-- Every source with the number of fact rows citing it.
select
    s.source_id, s.source_title, s.publisher, s.source_type, s.published_on,
    s.source_url, c.cited_by
from dim_sources as s
join agg_fact_rows_by_source as c using (source_id)
order by s.source_id
