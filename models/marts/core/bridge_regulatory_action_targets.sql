with

targets as (
    select * from {{ ref('stg_seeds__regulatory_action_targets') }}
),

organizations as (
    select
        organization_id,
        organization_name
    from {{ ref('dim_organizations') }}
)

select
    targets.action_id,
    targets.organization_id,
    organizations.organization_name,
    targets.target_role,
    targets.source_id
from targets
left join organizations on targets.organization_id = organizations.organization_id
