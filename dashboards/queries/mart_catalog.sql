-- The warehouse's marts as dbt's manifest listed them when it was built.
select mart, mart_folder, is_fact_table
from agg_mart_catalog
order by mart
