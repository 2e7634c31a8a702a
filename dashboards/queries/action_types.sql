-- The regulatory action types the warehouse has.
select distinct action_type
from agg_regulatory_actions_by_jurisdiction_year_type
order by action_type
