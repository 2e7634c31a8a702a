-- The var('dashboard_top_n') largest breaches of every jurisdiction, year reported and
-- is_counted, by records exposed (unknown counts last, then the earlier report, then the
-- id). The largest N breaches of any selection of jurisdictions and years are among the
-- largest N of its jurisdictions and years, so the dashboard lists them from this table.

-- Ranked on the key and sort columns alone, then the listed breaches joined back: a window
-- over every column of every breach would buffer the whole fact table.

with

ranked as (
    select
        breach_id,
        row_number() over (
            partition by jurisdiction_code, breach_year, is_counted
            order by records_exposed desc nulls last, reported_on asc, breach_id asc
        ) as breach_rank
    from {{ ref('fct_breaches') }}
),

listed as (
    select
        breach_id,
        breach_rank
    from ranked
    where breach_rank <= {{ var('dashboard_top_n') }}
)

select
    breaches.breach_id,
    breaches.organization_name,
    breaches.jurisdiction_code,
    breaches.country_code,
    breaches.reported_on,
    breaches.reported_label,
    breaches.breach_year,
    breaches.records_exposed,
    breaches.records_unit,
    breaches.breach_type,
    breaches.is_alleged,
    breaches.is_excluded,
    breaches.is_counted,
    breaches.breach_description,
    breaches.source_id,
    cast(listed.breach_rank as {{ dbt.type_int() }}) as breach_rank
from {{ ref('fct_breaches') }} as breaches
inner join listed on breaches.breach_id = listed.breach_id
