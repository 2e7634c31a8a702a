-- The var('dashboard_top_n') largest breaches of every jurisdiction, year reported and
-- is_counted, by records exposed (unknown counts last, then the earlier report, then the
-- id). The largest N breaches of any selection of jurisdictions and years are among the
-- largest N of its jurisdictions and years, so the dashboard lists them from this table.

with

ranked as (
    select
        breach_id,
        organization_name,
        jurisdiction_code,
        country_code,
        reported_on,
        reported_label,
        breach_year,
        records_exposed,
        records_unit,
        breach_type,
        is_alleged,
        is_excluded,
        is_counted,
        breach_description,
        source_id,
        row_number() over (
            partition by jurisdiction_code, breach_year, is_counted
            order by records_exposed desc nulls last, reported_on asc, breach_id asc
        ) as breach_rank
    from {{ ref('fct_breaches') }}
)

select
    breach_id,
    organization_name,
    jurisdiction_code,
    country_code,
    reported_on,
    reported_label,
    breach_year,
    records_exposed,
    records_unit,
    breach_type,
    is_alleged,
    is_excluded,
    is_counted,
    breach_description,
    source_id,
    cast(breach_rank as {{ dbt.type_int() }}) as breach_rank
from ranked
where breach_rank <= {{ var('dashboard_top_n') }}
