-- The regulatory_action_types var (one actions_<type> column each in
-- agg_jurisdiction_year_metrics) must list exactly the types of the taxonomy seed.
with

configured as (
    {%- for action_type in var('regulatory_action_types') %}
    select '{{ action_type }}' as action_type
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

taxonomy as (
    select action_type from {{ ref('stg_seeds__regulatory_action_types') }}
)

select
    coalesce(configured.action_type, taxonomy.action_type) as action_type,
    case when configured.action_type is null then 'missing from var' else 'missing from seed' end as problem
from configured
full outer join taxonomy on configured.action_type = taxonomy.action_type
where configured.action_type is null or taxonomy.action_type is null
