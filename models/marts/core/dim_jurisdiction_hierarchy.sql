-- Every jurisdiction paired with itself and each jurisdiction its facts roll up into:
-- subdivision -> country -> region -> world along parent_code, plus supranational groups
-- (the EU) for the years a country was a member.

{%- set max_depth = 3 %}  {#- the steps of subdivision -> country -> region -> world #}

with

jurisdictions as (
    select
        jurisdiction_code,
        parent_code
    from {{ ref('stg_seeds__jurisdictions') }}
),

memberships as (
    select * from {{ ref('stg_seeds__jurisdiction_memberships') }}
),

levels as (
    select
        jurisdiction_code,
        jurisdiction_level
    from {{ ref('stg_seeds__jurisdictions') }}
),

ancestors as (
    {% for depth in range(max_depth + 1) -%}
    {% if not loop.first %}
    union all

    {% endif -%}
    select
        j0.jurisdiction_code,
        j{{ depth }}.jurisdiction_code as rollup_code,
        {{ depth }} as distance
    from jurisdictions as j0
    {% for step in range(1, depth + 1) -%}
    inner join jurisdictions as j{{ step }}
        on j{{ step - 1 }}.parent_code = j{{ step }}.jurisdiction_code
    {% endfor %}
    {% endfor -%}
),

group_members as (
    select
        ancestors.jurisdiction_code,
        memberships.group_code as rollup_code,
        memberships.member_from_year,
        memberships.member_to_year
    from ancestors
    inner join memberships on ancestors.rollup_code = memberships.member_code
),

paths as (
    select
        jurisdiction_code,
        rollup_code,
        case when distance = 0 then 'self' else 'ancestor' end as relationship,
        cast(null as {{ dbt.type_int() }}) as member_from_year,
        cast(null as {{ dbt.type_int() }}) as member_to_year
    from ancestors

    union all

    select
        jurisdiction_code,
        rollup_code,
        'member_of' as relationship,
        member_from_year,
        member_to_year
    from group_members
)

select
    paths.jurisdiction_code,
    paths.rollup_code,
    levels.jurisdiction_level as rollup_level,
    paths.relationship,
    paths.member_from_year,
    paths.member_to_year
from paths
inner join levels on paths.rollup_code = levels.jurisdiction_code
