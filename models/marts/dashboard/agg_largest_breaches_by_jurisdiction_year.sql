-- The var('dashboard_top_n') largest breaches of every jurisdiction, year reported and
-- is_counted, by records exposed (unknown counts last, then the earlier report, then the
-- id). The largest N breaches of any selection of jurisdictions and years are among the
-- largest N of its jurisdictions and years, so the dashboard lists them from this table.

-- Ranked on the key and sort columns alone, then the listed breaches joined back: a window
-- over every column of every breach would buffer the whole fact table. On DuckDB a top-n
-- aggregate first keeps the N largest of each group (largest_breaches_per_group), so the
-- window ranks those alone. Its key states the window's order (records_exposed descending,
-- unknown last, reported_on, breach_id): change both together. The Spark parity check
-- compares this listing with Spark's, which the window alone ranks.

-- Incremental (DuckDB): a refresh re-ranks only the groups (jurisdiction, year,
-- is_counted) with a breach fct_breaches recomputed in this run (in_breach_scope), and
-- replaces their rows. The final join to fct_breaches refreshes every listed breach's
-- attributes; only the ranking needs care. A group whose listed breaches are all still in
-- it with the same records and date has lost nothing above its N-th breach, so its new
-- top N is the top N of its listing and its recomputed breaches. A group that lost a
-- listed breach, or whose listed breach changed, is ranked again from all its breaches in
-- fct_breaches (a group left with no breach loses its rows in a post-hook). The scope
-- takes in the organizations dim_organizations recomputed, so a renamed organization's
-- listed breaches get its new name.
-- depends_on: {{ ref('int_raw_breaches_mapped') }}
-- depends_on: {{ ref('int_breach_partner_organizations') }}
{{ config(
    materialized=fact_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['jurisdiction_code', 'breach_year', 'is_counted'],
    on_schema_change='fail',
    post_hook="{{ delete_emptied_listing_rows() }}"
) }}

{%- set ranking_columns = [
    'breach_id', 'jurisdiction_code', 'breach_year', 'is_counted', 'records_exposed', 'reported_on'
] %}

with

{% if is_incremental() %}
recomputed as (
    select {{ ranking_columns | join(', ') }}
    from {{ ref('fct_breaches') }}
    where {{ in_breach_scope('organization_id', 'breach_id') }}
),

-- Groups that lost a listed breach or changed one's place (is_reranked: ranked again from
-- all their breaches), and the other groups with a recomputed breach (their listing, less
-- the recomputed breaches, and their recomputed breaches). A listed breach in scope that
-- still exists was recomputed (same breach_id, so still in scope).
affected_groups as (
    select
        jurisdiction_code,
        breach_year,
        is_counted,
        max(is_reranked) as is_reranked
    from (
        select
            listed.jurisdiction_code,
            listed.breach_year,
            listed.is_counted,
            1 as is_reranked
        from {{ this }} as listed
        left join recomputed
            on
                listed.breach_id = recomputed.breach_id
                and listed.jurisdiction_code = recomputed.jurisdiction_code
                and listed.breach_year = recomputed.breach_year
                and listed.is_counted = recomputed.is_counted
                and listed.reported_on = recomputed.reported_on
                and coalesce(listed.records_exposed, -1) = coalesce(recomputed.records_exposed, -1)
        where
            {{ in_breach_scope('listed.organization_id', 'listed.breach_id') }}
            and recomputed.breach_id is null

        union all

        select
            jurisdiction_code,
            breach_year,
            is_counted,
            0 as is_reranked
        from recomputed
    ) as groups_touched
    group by jurisdiction_code, breach_year, is_counted
),

candidates as (
    select {{ ranking_columns | join(', ') }}
    from {{ ref('fct_breaches') }}
    inner join affected_groups using (jurisdiction_code, breach_year, is_counted)
    where affected_groups.is_reranked = 1

    union all

    select {{ ranking_columns | join(', ') }}
    from {{ this }} as listed
    inner join affected_groups using (jurisdiction_code, breach_year, is_counted)
    where
        affected_groups.is_reranked = 0
        -- (in_breach_scope is null, not false, for some rows out of scope)
        and not coalesce({{ in_breach_scope('listed.organization_id', 'listed.breach_id') }}, false)

    union all

    select {{ ranking_columns | join(', ') }}
    from recomputed
    inner join affected_groups using (jurisdiction_code, breach_year, is_counted)
    where affected_groups.is_reranked = 0
),
{% else %}
candidates as (
    select {{ ranking_columns | join(', ') }}
    from {{ ref('fct_breaches') }}
),
{% endif %}

ranked as (
    select
        breach_id,
        row_number() over (
            partition by jurisdiction_code, breach_year, is_counted
            order by records_exposed desc nulls last, reported_on asc, breach_id asc
        ) as breach_rank
    from (
        {{ largest_breaches_per_group('candidates', ranking_columns, var('dashboard_top_n')) }}
    ) as top_candidates
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
    breaches.organization_id,
    organizations.organization_name,
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
    breaches.quality_flags,
    breaches.breach_description,
    breaches.source_id,
    cast(listed.breach_rank as {{ dbt.type_int() }}) as breach_rank
from {{ ref('fct_breaches') }} as breaches
inner join listed on breaches.breach_id = listed.breach_id
left join {{ ref('dim_organizations') }} as organizations
    on breaches.organization_id = organizations.organization_id
