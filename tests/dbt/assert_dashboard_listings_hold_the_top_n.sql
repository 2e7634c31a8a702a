-- Each listing mart holds, for every group it ranks in, exactly the group's first N rows
-- (N = var dashboard_top_n / dashboard_top_n_actions, fewer when the group is smaller),
-- ranked 1..n without gaps (penalties: the first N by USD, by EUR and by constant USD), and
-- every listed penalty's history is complete back to its first version.
with

breach_groups as (
    select
        jurisdiction_code,
        breach_year,
        is_counted,
        count(*) as group_rows
    from {{ ref('fct_breaches') }}
    group by jurisdiction_code, breach_year, is_counted
),

breach_listed as (
    select
        jurisdiction_code,
        breach_year,
        is_counted,
        count(*) as listed_rows,
        max(breach_rank) as last_rank
    from {{ ref('agg_largest_breaches_by_jurisdiction_year') }}
    group by jurisdiction_code, breach_year, is_counted
),

action_groups as (
    select
        jurisdiction_code,
        action_year,
        action_type,
        count(*) as group_rows
    from {{ ref('fct_regulatory_actions') }}
    group by jurisdiction_code, action_year, action_type
),

action_listed as (
    select
        jurisdiction_code,
        action_year,
        action_type,
        count(*) as listed_rows,
        max(action_rank) as last_rank
    from {{ ref('agg_latest_regulatory_actions_by_jurisdiction_year_type') }}
    group by jurisdiction_code, action_year, action_type
),

penalty_groups as (
    select
        jurisdiction_code,
        penalty_year,
        count(*) as group_rows
    from {{ ref('fct_penalties') }}
    where is_current and penalty_year is not null  -- an undated decision is in no year
    group by jurisdiction_code, penalty_year
),

penalty_listed as (
    select
        jurisdiction_code,
        penalty_year,
        sum(case when usd_rank <= {{ var('dashboard_top_n') }} then 1 else 0 end) as usd_listed,
        sum(case when eur_rank <= {{ var('dashboard_top_n') }} then 1 else 0 end) as eur_listed,
        sum(case when usd_constant_rank <= {{ var('dashboard_top_n') }} then 1 else 0 end) as usd_constant_listed
    from {{ ref('agg_largest_penalties_by_jurisdiction_year') }}
    where versions_back = 0
    group by jurisdiction_code, penalty_year
),

problems as (
    select
        'agg_largest_breaches_by_jurisdiction_year' as listing,
        breach_groups.jurisdiction_code,
        breach_groups.breach_year as group_year
    from breach_groups
    left join breach_listed
        on
            breach_groups.jurisdiction_code = breach_listed.jurisdiction_code
            and breach_groups.breach_year = breach_listed.breach_year
            and breach_groups.is_counted = breach_listed.is_counted
    where
        coalesce(breach_listed.listed_rows, 0)
        != least(breach_groups.group_rows, {{ var('dashboard_top_n') }})
        or breach_listed.last_rank != breach_listed.listed_rows

    union all

    select
        'agg_latest_regulatory_actions_by_jurisdiction_year_type' as listing,
        action_groups.jurisdiction_code,
        action_groups.action_year as group_year
    from action_groups
    left join action_listed
        on
            action_groups.jurisdiction_code = action_listed.jurisdiction_code
            and action_groups.action_year = action_listed.action_year
            and action_groups.action_type = action_listed.action_type
    where
        coalesce(action_listed.listed_rows, 0)
        != least(action_groups.group_rows, {{ var('dashboard_top_n_actions') }})
        or action_listed.last_rank != action_listed.listed_rows

    union all

    select
        'agg_largest_penalties_by_jurisdiction_year' as listing,
        penalty_groups.jurisdiction_code,
        penalty_groups.penalty_year as group_year
    from penalty_groups
    left join penalty_listed
        on
            penalty_groups.jurisdiction_code = penalty_listed.jurisdiction_code
            and penalty_groups.penalty_year = penalty_listed.penalty_year
    where
        coalesce(penalty_listed.usd_listed, 0)
        != least(penalty_groups.group_rows, {{ var('dashboard_top_n') }})
        or coalesce(penalty_listed.eur_listed, 0)
        != least(penalty_groups.group_rows, {{ var('dashboard_top_n') }})
        or coalesce(penalty_listed.usd_constant_listed, 0)
        != least(penalty_groups.group_rows, {{ var('dashboard_top_n') }})

    union all

    -- The first version of every listed history supersedes nothing: no chain was cut short.
    select
        'agg_largest_penalties_by_jurisdiction_year (history)' as listing,
        jurisdiction_code,
        penalty_year as group_year
    from {{ ref('agg_largest_penalties_by_jurisdiction_year') }}
    where penalty_id = chain_id and supersedes_penalty_id is not null
)

select * from problems
