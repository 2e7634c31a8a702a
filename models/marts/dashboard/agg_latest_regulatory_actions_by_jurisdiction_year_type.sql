-- The var('dashboard_top_n_actions') latest regulatory actions of every jurisdiction, year
-- and action type (ties go to the id), with the organizations each names. The latest N
-- actions of any selection of jurisdictions, years and types are among the latest N of
-- its jurisdictions, years and types, so the dashboard lists them from this table.

with

ranked as (
    select
        action_id,
        action_type,
        title,
        authority,
        jurisdiction_code,
        country_code,
        action_on,
        action_label,
        action_year,
        status,
        description,
        source_id,
        row_number() over (
            partition by jurisdiction_code, action_year, action_type
            order by action_on desc, action_id desc
        ) as action_rank
    from {{ ref('fct_regulatory_actions') }}
),

targets as (
    select
        action_id,
        {{ ordered_listagg(
            dbt.concat(['organization_name', "' ('", 'target_role', "')'"]), "'; '"
        ) }} as targets
    from {{ ref('bridge_regulatory_action_targets') }}
    group by action_id
)

select
    ranked.action_id,
    ranked.action_type,
    ranked.title,
    ranked.authority,
    ranked.jurisdiction_code,
    ranked.country_code,
    ranked.action_on,
    ranked.action_label,
    ranked.action_year,
    ranked.status,
    ranked.description,
    targets.targets,
    ranked.source_id,
    cast(ranked.action_rank as {{ dbt.type_int() }}) as action_rank
from ranked
left join targets on ranked.action_id = targets.action_id
where ranked.action_rank <= {{ var('dashboard_top_n_actions') }}
