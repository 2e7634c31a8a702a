-- The source rows counted in another row's breach, and why.
-- A row is matched to a row of a higher-priority source (var source_priority: seeds first)
-- that names the same organization (same key, seed name or alias), in the same country or
-- where one side has no country (HIBP, VCDB 'Unknown'), reported at most
-- var('breach_match_window_days') days apart. The best match (highest-priority source,
-- then the fewest days apart) decides; a match of a match resolves to that row's anchor.
-- Alleged breaches and excluded rows (fabricated or spam lists) are never matched.
-- A row that matches nothing is its breach's anchor: that breach's fct_breaches row (its
-- source_name and source_record_id), not a row here. Nearly every row is an anchor, so
-- the table holds the few matched rows instead of a copy of every breach.

-- Incremental (macros/incremental_breaches.sql): a refresh recomputes the rows of the
-- organizations and breaches its new loads touch.
-- depends_on: {{ ref('int_raw_breaches_mapped') }}
-- depends_on: {{ ref('dim_organizations') }}
{{ config(
    materialized=fact_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_breach_scope('organization_id', 'source_breach_id') }}"
) }}

with

{% if is_incremental() %}
candidates as (
    select * from {{ ref('int_breach_candidates') }}
    where {{ in_breach_scope('organization_id', 'breach_id') }}
),
{% endif %}

{#- A full build reads the view itself in each step below, not a CTE over it: the engine
    would buffer a CTE read several times (every candidate row), where the steps read a
    few columns each and keep only the rows they need. #}
{%- set candidates = 'candidates' if is_incremental() else ref('int_breach_candidates') %}

-- The source with the most rows.
largest_source as (
    {{ with_most_rows(candidates, 'source_name', where='is_matchable') }}
),

-- Only an organization named by two or more sources can have a match, and each such
-- organization has a row outside the largest source: only the organizations of the other
-- sources' rows are counted, not every organization.
other_sources_organizations as (
    select distinct other_rows.organization_id
    from {{ candidates }} as other_rows
    left join largest_source on other_rows.source_name = largest_source.source_name
    where other_rows.is_matchable and largest_source.source_name is null
),

multi_source_organizations as (
    select named.organization_id
    from {{ candidates }} as named
    inner join other_sources_organizations
        on named.organization_id = other_sources_organizations.organization_id
    where named.is_matchable
    group by named.organization_id
    having count(distinct named.source_name) > 1
),

-- The self-join below runs over their rows alone, not over every breach.
matchable as (
    select named.*
    from {{ candidates }} as named
    inner join multi_source_organizations
        on named.organization_id = multi_source_organizations.organization_id
    where named.is_matchable
),

pairs as (
    select
        this_row.breach_id as row_breach_id,
        other_row.breach_id as other_breach_id,
        other_row.source_priority as other_priority,
        abs({{ dbt.datediff('other_row.reported_on', 'this_row.reported_on', 'day') }}) as days_apart,
        case
            when this_row.country_code = other_row.country_code
                then 'same organization + same country + date window'
            else 'same organization + one side without country + date window'
        end as match_rule
    from matchable as this_row
    inner join matchable as other_row
        on
            this_row.organization_id = other_row.organization_id
            and this_row.source_name != other_row.source_name
            and this_row.source_priority > other_row.source_priority
            and (
                this_row.country_code = other_row.country_code
                or this_row.country_code is null
                or other_row.country_code is null
            )
            and abs({{ dbt.datediff('other_row.reported_on', 'this_row.reported_on', 'day') }})
            <= {{ var('breach_match_window_days') }}
),

best_matches as (
    select
        ranked.row_breach_id,
        ranked.other_breach_id,
        ranked.days_apart,
        ranked.match_rule,
        matched.source_name as matched_source_name,
        matched.source_record_id as matched_source_record_id
    from (
        select
            pairs.*,
            row_number() over (
                partition by pairs.row_breach_id
                order by pairs.other_priority, pairs.days_apart, pairs.other_breach_id
            ) as match_rank
        from pairs
    ) as ranked
    inner join matchable as matched on ranked.other_breach_id = matched.breach_id
    where ranked.match_rank = 1
)

select
    coalesce(second_hop.other_breach_id, first_hop.other_breach_id) as breach_id,
    matched_row.source_name,
    matched_row.source_record_id,
    matched_row.breach_id as source_breach_id,
    matched_row.load_id,
    matched_row.organization_id,
    matched_row.organization_match,
    matched_row.jurisdiction_code,
    matched_row.reported_on,
    first_hop.match_rule,
    first_hop.matched_source_name,
    first_hop.matched_source_record_id,
    cast(first_hop.days_apart as {{ dbt.type_int() }}) as days_apart,
    matched_row.source_id
from best_matches as first_hop
inner join matchable as matched_row on first_hop.row_breach_id = matched_row.breach_id
left join best_matches as second_hop on first_hop.other_breach_id = second_hop.row_breach_id
