-- Every source with the number of fact rows citing it, over every fact mart
-- (fact_rows_by_mart_source; 0 for a source no fact row cites): the Data page's list of
-- sources.

with

cited as (
    select
        source_id,
        sum(fact_rows) as cited_by
    from {{ ref('fact_rows_by_mart_source') }}
    group by source_id
)

select
    sources.source_id,
    cast(coalesce(cited.cited_by, 0) as {{ dbt.type_bigint() }}) as cited_by
from {{ ref('dim_sources') }} as sources
left join cited on sources.source_id = cited.source_id
