-- First and last date of the breaches, penalties and regulatory actions.
select mart, first_date, last_date
from agg_fact_rows_by_mart
where mart in ('fct_breaches', 'fct_penalties', 'fct_regulatory_actions')
order by mart
