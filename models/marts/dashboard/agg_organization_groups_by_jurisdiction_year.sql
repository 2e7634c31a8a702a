-- Breaches and fines per organization group (dim_organizations.group_organization_id: a
-- subsidiary rolls up to its parent company, seeds/organization_parents), jurisdiction
-- and year: what the dashboard's "by organization group" tables sum over a selection.
-- Counted breaches and current, dated decisions only, as in agg_jurisdiction_year_metrics.

-- Each side joins dim_organizations itself: one organizations CTE read by both would be
-- buffered whole (6M rows) by the engine beside the two aggregates.

with

breaches as (
    select
        organizations.group_organization_id,
        breaches.jurisdiction_code,
        breaches.breach_year as year_number,
        count(*) as breaches,
        sum(coalesce(breaches.records_exposed, 0)) as records_exposed
    from {{ ref('fct_breaches') }} as breaches
    inner join {{ ref('dim_organizations') }} as organizations
        on breaches.organization_id = organizations.organization_id
    where breaches.is_counted
    group by organizations.group_organization_id, breaches.jurisdiction_code, breaches.breach_year
),

penalties as (
    select
        organizations.group_organization_id,
        penalties.jurisdiction_code,
        penalties.penalty_year as year_number,
        count(*) as penalties,
        sum(coalesce(penalties.amount_usd, 0)) as penalties_usd,
        sum(coalesce(penalties.amount_eur, 0)) as penalties_eur
    from {{ ref('fct_penalties') }} as penalties
    inner join {{ ref('dim_organizations') }} as organizations
        on penalties.organization_id = organizations.organization_id
    where penalties.is_current and penalties.penalty_year is not null
    group by organizations.group_organization_id, penalties.jurisdiction_code, penalties.penalty_year
),

combined as (
    select
        coalesce(breaches.group_organization_id, penalties.group_organization_id) as group_organization_id,
        coalesce(breaches.jurisdiction_code, penalties.jurisdiction_code) as jurisdiction_code,
        coalesce(breaches.year_number, penalties.year_number) as year_number,
        coalesce(breaches.breaches, 0) as breaches,
        coalesce(breaches.records_exposed, 0) as records_exposed,
        coalesce(penalties.penalties, 0) as penalties,
        coalesce(penalties.penalties_usd, 0) as penalties_usd,
        coalesce(penalties.penalties_eur, 0) as penalties_eur
    from breaches
    full outer join penalties
        on
            breaches.group_organization_id = penalties.group_organization_id
            and breaches.jurisdiction_code = penalties.jurisdiction_code
            and breaches.year_number = penalties.year_number
)

select
    combined.group_organization_id,
    groups.organization_name as group_name,
    combined.jurisdiction_code,
    cast(combined.year_number as {{ dbt.type_int() }}) as year,
    cast(combined.breaches as {{ dbt.type_bigint() }}) as breaches,
    cast(combined.records_exposed as {{ dbt.type_bigint() }}) as records_exposed,
    cast(combined.penalties as {{ dbt.type_bigint() }}) as penalties,
    cast(combined.penalties_usd as {{ type_money() }}) as penalties_usd,
    cast(combined.penalties_eur as {{ type_money() }}) as penalties_eur
from combined
inner join {{ ref('dim_organizations') }} as groups
    on combined.group_organization_id = groups.organization_id
