-- The var('dashboard_top_n') largest current decisions of every jurisdiction and year of
-- the decision, by amount in USD, in EUR or in constant USD (a decision is kept when it is
-- among the largest by any of them; ties go to the earlier decision, then the id), each with
-- every earlier version it supersedes (proposed -> final, amended, reduced on appeal) so
-- the dashboard can draw the history of the decisions it lists. The largest N decisions
-- of any selection of jurisdictions and years are among the largest N of its
-- jurisdictions and years. A decision without a date is in no year.

with

penalties as (
    select * from {{ ref('fct_penalties') }}
),

ranked as (
    select
        penalty_id,
        row_number() over (
            partition by jurisdiction_code, penalty_year
            order by amount_usd desc nulls last, announced_on asc, penalty_id asc
        ) as usd_rank,
        row_number() over (
            partition by jurisdiction_code, penalty_year
            order by amount_eur desc nulls last, announced_on asc, penalty_id asc
        ) as eur_rank,
        -- One CPI factor per year, so the same order as USD but for amounts that round
        -- to the same constant cent.
        row_number() over (
            partition by jurisdiction_code, penalty_year
            order by amount_usd_constant desc nulls last, announced_on asc, penalty_id asc
        ) as usd_constant_rank
    from penalties
    where is_current and penalty_year is not null
),

listed as (
    select
        penalty_id,
        usd_rank,
        eur_rank,
        usd_constant_rank
    from ranked
    where
        usd_rank <= {{ var('dashboard_top_n') }}
        or eur_rank <= {{ var('dashboard_top_n') }}
        or usd_constant_rank <= {{ var('dashboard_top_n') }}
),

-- Each listed decision's history (agg_penalty_versions: the versions it supersedes and
-- the first of them, chain_id).
versions as (
    select
        current_penalty_id,
        penalty_id,
        versions_back,
        chain_id
    from {{ ref('agg_penalty_versions') }}
)

select
    versions.current_penalty_id,
    versions.penalty_id,
    versions.versions_back,
    versions.chain_id,
    cast(listed.usd_rank as {{ dbt.type_int() }}) as usd_rank,
    cast(listed.eur_rank as {{ dbt.type_int() }}) as eur_rank,
    cast(listed.usd_constant_rank as {{ dbt.type_int() }}) as usd_constant_rank,
    penalties.penalty_kind,
    penalties.status,
    penalties.is_current,
    penalties.authority,
    penalties.jurisdiction_code,
    penalties.country_code,
    organizations.organization_name,
    penalties.breach_id,
    penalties.legal_basis,
    penalties.announced_on,
    penalties.announced_label,
    penalties.penalty_year,
    penalties.amount,
    penalties.currency,
    penalties.amount_usd,
    penalties.amount_eur,
    penalties.amount_usd_constant,
    penalties.supersedes_penalty_id,
    penalties.figure_as_stated,
    penalties.quality_flags,
    penalties.penalty_description,
    penalties.source_id
from versions
inner join penalties on versions.penalty_id = penalties.penalty_id
inner join listed on versions.current_penalty_id = listed.penalty_id
left join {{ ref('dim_organizations') }} as organizations
    on penalties.organization_id = organizations.organization_id
