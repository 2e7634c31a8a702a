-- Every organization the warehouse knows, one row per organization_id: the seeds, then
-- organizations only ingested sources name (the highest-priority source's row wins), with
-- their sector's name and their seed aliases.

-- Incremental (delete+insert on organization_id): a refresh recomputes only the
-- organizations named in raw organization loads it has not seen (load_id), and marks them
-- with mapped_in_run so that the breach facts and listing (macros/incremental_breaches.sql)
-- take them in too (the listing carries their names).
{{ config(
    materialized=fact_materialization(),
    incremental_strategy='delete+insert',
    unique_key='organization_id',
    on_schema_change='fail'
) }}

with

{%- set raw_relation = 'touched_versions' if is_incremental() else ref('stg_raw__organizations') %}

{% if is_incremental() %}
-- Organizations (by their match key) with a row in a load not seen yet.
touched_keys as (
    select distinct {{ organization_match_key('raw_rows.organization_key') }} as id_key
    from {{ ref('stg_raw__organizations') }} as raw_rows
    where {{ in_unseen_load('raw_rows.load_id') }}
),

touched_versions as (
    select raw_rows.*
    from {{ ref('stg_raw__organizations') }} as raw_rows
    inner join touched_keys
        on {{ organization_match_key('raw_rows.organization_key') }} = touched_keys.id_key
),
{% endif %}

seed_organizations as (
    select
        organization_id,
        organization_name,
        sector_code,
        jurisdiction_code,
        organization_type,
        'seed' as source_name,
        source_id,
        cast(null as {{ dbt.type_string() }}) as load_id
    from {{ ref('stg_seeds__organizations') }}
),

-- Organizations only ingested sources name: keys that are no seed organization's name or
-- alias.
keyed as (
    select
        raw_organizations.source_name,
        raw_organizations.source_record_id,
        raw_organizations.organization_name,
        raw_organizations.jurisdiction_code,
        raw_organizations.sector_raw,
        raw_organizations.load_id,
        {{ organization_id_for('raw_organizations.organization_key', 'seed_keys') }} as organization_id
    from ({{ current_versions(raw_relation) }}) as raw_organizations
    left join {{ ref('int_organization_seed_keys') }} as seed_keys
        on {{ organization_match_key('raw_organizations.organization_key') }} = seed_keys.match_key
    where raw_organizations.organization_key is not null and seed_keys.organization_id is null
),

-- When several sources name one organization, the highest-priority source's row describes
-- it; only those organizations are ranked (a window over every row would buffer them all).
shared as (
    select organization_id
    from keyed
    group by organization_id
    having count(*) > 1
),

ranked as (
    select
        keyed.source_name,
        keyed.source_record_id,
        row_number() over (
            partition by keyed.organization_id
            order by {{ source_priority('keyed.source_name') }}, keyed.source_record_id
        ) as organization_rank
    from keyed
    inner join shared on keyed.organization_id = shared.organization_id
),

ingested as (
    select
        keyed.organization_id,
        keyed.organization_name,
        coalesce(sector_map.sector_code, 'unknown') as sector_code,
        keyed.jurisdiction_code,
        coalesce(sector_map.organization_type, 'other') as organization_type,
        keyed.source_name,
        {{ source_id_for('keyed.source_name') }} as source_id,
        keyed.load_id
    from keyed
    left join ranked
        on
            keyed.source_name = ranked.source_name
            and keyed.source_record_id = ranked.source_record_id
    left join {{ ref('stg_seeds__map_sectors') }} as sector_map
        on
            keyed.source_name = sector_map.source_name
            and keyed.sector_raw = sector_map.source_value
    where ranked.organization_rank is null or ranked.organization_rank = 1
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
),

organizations as (
    {%- if not is_incremental() %}
    -- (Seeds never change in an incremental run: changed seeds rebuild everything.)
    select * from seed_organizations

    union all
    {%- endif %}

    select
        organization_id,
        organization_name,
        sector_code,
        jurisdiction_code,
        organization_type,
        source_name,
        source_id,
        load_id
    from ingested
),

-- An organization's group: the top of its chain of parents (seeds/organization_parents;
-- the seeds' organizations only, so a chain is short), else itself.
parents as (
    select
        organization_id,
        parent_organization_id
    from {{ ref('stg_seeds__organization_parents') }}
),

{%- set depth = 4 %}

groups as (
    select
        organizations.organization_id,
        level_1.parent_organization_id,
        coalesce(
            {%- for level in range(depth, 0, -1) %}
            level_{{ level }}.parent_organization_id,
            {%- endfor %}
            organizations.organization_id
        ) as group_organization_id
    from organizations
    left join parents as level_1 on organizations.organization_id = level_1.organization_id
    {%- for level in range(2, depth + 1) %}
    left join parents as level_{{ level }}
        on level_{{ level - 1 }}.parent_organization_id = level_{{ level }}.organization_id
    {%- endfor %}
),

group_names as (
    select
        seed_organizations.organization_id,
        seed_organizations.organization_name
    from seed_organizations
)

select
    organizations.organization_id,
    organizations.organization_name,
    coalesce(sectors.sector_name, 'Unknown') as sector,
    organizations.sector_code,
    organizations.jurisdiction_code,
    organizations.organization_type,
    aliases.aliases,
    groups.parent_organization_id,
    groups.group_organization_id,
    coalesce(group_names.organization_name, organizations.organization_name) as group_name,
    organizations.source_name,
    organizations.source_id,
    organizations.load_id,
    '{{ invocation_id }}' as mapped_in_run
from organizations
inner join groups on organizations.organization_id = groups.organization_id
left join group_names on groups.group_organization_id = group_names.organization_id
left join sectors on organizations.sector_code = sectors.sector_code
left join aliases on organizations.organization_id = aliases.organization_id
