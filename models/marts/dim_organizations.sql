-- Incremental (delete+insert on organization_id): a refresh rewrites the organizations
-- int_organizations_unioned recomputed in this run.
{{ config(
    materialized=breach_facts_materialization(),
    incremental_strategy='delete+insert',
    unique_key='organization_id',
    on_schema_change='fail'
) }}

with

organizations as (
    select * from {{ ref('int_organizations_unioned') }}
    {%- if is_incremental() %}
    where mapped_in_run = '{{ invocation_id }}'
    {%- endif %}
),

sectors as (
    select * from {{ ref('stg_seeds__sectors') }}
),

aliases as (
    select
        organization_id,
        {{ ordered_listagg('organization_alias', "' | '") }} as aliases
    from {{ ref('stg_seeds__organization_aliases') }}
    group by organization_id
)

select
    organizations.organization_id,
    organizations.organization_name,
    coalesce(sectors.sector_name, 'Unknown') as sector,
    organizations.sector_code,
    organizations.jurisdiction_code,
    organizations.organization_type,
    aliases.aliases,
    organizations.source_name,
    organizations.source_id
from organizations
left join sectors on organizations.sector_code = sectors.sector_code
left join aliases on organizations.organization_id = aliases.organization_id
