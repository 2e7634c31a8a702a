-- Rows of each fact mart, without scanning it.
select mart, fact_rows as row_count
from agg_fact_rows_by_mart
