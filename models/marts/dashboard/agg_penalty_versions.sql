-- Every version of every decision's history with the current decision it leads to: a
-- current decision (versions_back 0) and each earlier version it supersedes (proposed ->
-- final, amended, reduced on appeal), walked back one version at a time (a penalty is
-- superseded at most once, so a history is a line), and the first version of the history
-- (chain_id). The dashboard's listings and downloads draw and order histories from here.

{%- set chain_depth = 8 %}

with

penalties as (
    select
        penalty_id,
        supersedes_penalty_id,
        is_current
    from {{ ref('fct_penalties') }}
),

back_0 as (
    select
        penalty_id as current_penalty_id,
        penalty_id,
        0 as versions_back
    from penalties
    where is_current
),
{%- for depth in range(1, chain_depth + 1) %}

back_{{ depth }} as (
    select
        back_{{ depth - 1 }}.current_penalty_id,
        penalties.supersedes_penalty_id as penalty_id,
        {{ depth }} as versions_back
    from back_{{ depth - 1 }}
    inner join penalties on back_{{ depth - 1 }}.penalty_id = penalties.penalty_id
    where penalties.supersedes_penalty_id is not null
),
{%- endfor %}

versions as (
    {%- for depth in range(0, chain_depth + 1) %}
    select * from back_{{ depth }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

oldest as (
    select
        current_penalty_id,
        max(versions_back) as versions_back
    from versions
    group by current_penalty_id
),

roots as (
    select
        versions.current_penalty_id,
        versions.penalty_id as chain_id
    from versions
    inner join oldest
        on
            versions.current_penalty_id = oldest.current_penalty_id
            and versions.versions_back = oldest.versions_back
)

select
    versions.current_penalty_id,
    versions.penalty_id,
    cast(versions.versions_back as {{ dbt.type_int() }}) as versions_back,
    roots.chain_id
from versions
inner join roots on versions.current_penalty_id = roots.current_penalty_id
