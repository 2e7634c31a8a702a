-- Every pair of source rows the linkage compares, with the linkage model's verdict.
-- A pair is two matchable rows of one organization (the first blocking rule: an
-- organization's name, seed name or alias), two matchable rows of different organizations
-- where one row's name stem is the other's whole name key (the second: "Adobe" and "Adobe
-- Systems", "Ancestry" and "Ancestry.com"; macro organization_name_stem), two rows of
-- one jurisdiction stating one rare count to the unit within linkage_same_count_days days
-- (the third: a business associate's filing and its client's; macro same_count_near), or
-- two rows an analyst override names (seeds/breach_link_overrides.csv); rows reported
-- more than linkage_max_years_apart years apart are compared only when an override names
-- them.
-- The lower-ranked row (a lower-priority source, var source_priority, then the larger
-- breach_id) is row _l, the row it can be counted in is _r. The comparison levels and
-- the match weight are the trained Splink model's (macros/linkage/breach_linkage_model.sql,
-- generated from breach_warehouse/linkage/model.json); link_basis says whether the model
-- or an override decides, and is_linked whether the two rows report one breach.

-- Memory: the blocking and the counts read only the few columns they join on (keys); the
-- one wide join is an organization's rows with each other, so at ten million rows the
-- engine holds (or spills) one table of whole rows at a time, never two. The other pairs
-- (by name, by count, overrides) are few and join their rows by id.

-- Incremental (macros/incremental_breaches.sql): a refresh recomputes the pairs of the
-- organizations its new loads touch and of their partner organizations.
-- depends_on: {{ ref('int_raw_breaches_mapped') }}
-- depends_on: {{ ref('dim_organizations') }}
-- depends_on: {{ ref('int_breach_partner_organizations') }}
{{ config(
    materialized=fact_materialization(),
    schema='intermediate',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_breach_scope('organization_id_l', 'breach_id_l') }}"
) }}

{%- set columns = [
    'breach_id', 'source_name', 'source_record_id', 'organization_id', 'name_key', 'name_stem', 'source_rows',
    'jurisdiction_code', 'country_code', 'reported_on', 'reported_precision', 'notified_on',
    'notified_precision',
    'records_exposed', 'breach_type', 'rare_cited_urls', 'rare_words', 'source_priority'
] %}

with

-- The rows the linkage compares (in an incremental run, those of the organizations in
-- scope): their keys, the few columns the blocking joins on ...
keys as (
    select
        breach_id,
        source_name,
        organization_id,
        name_key,
        name_stem,
        jurisdiction_code,
        reported_on,
        records_exposed,
        source_priority
    from {{ ref('int_breach_candidates') }}
    where
        is_matchable
        and {{ in_breach_scope_when_incremental('organization_id', 'breach_id') }}
),

-- ... and how many rows the organization has in the row's source: an organization with
-- one row in each of two sources most likely reports one breach in both.
source_rows as (
    select
        organization_id,
        source_name,
        count(*) as source_rows
    from keys
    where organization_id is not null
    group by organization_id, source_name
),

-- ... and what each row cites and describes: the pages it cites that at most
-- linkage_citation_rows rows of its organization cite (macro rare_citations), and the
-- words of its description outside the common words (macro rare_words). Two rows citing
-- one article, or sharing words few descriptions use, most likely report one event.
evidence_rows as (
    select
        breach_id,
        organization_id,
        cited_urls,
        description_words
    from {{ ref('int_breach_candidates') }}
    where
        is_matchable
        and {{ in_breach_scope_when_incremental('organization_id', 'breach_id') }}
),

rare_citations as (
    {{ rare_citations('evidence_rows', var('linkage_citation_rows')) }}
),

rare_words as (
    {{ rare_words('evidence_rows', ref('stg_seeds__linkage_common_words')) }}
),

-- The rows whole (the columns a pair compares), with their source_rows, rare_cited_urls
-- and rare_words.
candidates as (
    select
        rows_in_scope.breach_id,
        rows_in_scope.source_name,
        rows_in_scope.source_record_id,
        rows_in_scope.organization_id,
        rows_in_scope.name_key,
        rows_in_scope.name_stem,
        rows_in_scope.jurisdiction_code,
        rows_in_scope.country_code,
        rows_in_scope.reported_on,
        rows_in_scope.reported_precision,
        rows_in_scope.notified_on,
        rows_in_scope.notified_precision,
        rows_in_scope.records_exposed,
        rows_in_scope.breach_type,
        rows_in_scope.source_priority,
        source_rows.source_rows,
        rare_citations.cited_urls as rare_cited_urls,
        rare_words.rare_words
    from {{ ref('int_breach_candidates') }} as rows_in_scope
    left join source_rows
        on
            rows_in_scope.organization_id = source_rows.organization_id
            and rows_in_scope.source_name = source_rows.source_name
    left join rare_citations on rows_in_scope.breach_id = rare_citations.breach_id
    left join rare_words on rows_in_scope.breach_id = rare_words.breach_id
    where
        rows_in_scope.is_matchable
        and {{ in_breach_scope_when_incremental('rows_in_scope.organization_id', 'rows_in_scope.breach_id') }}
),

-- Only an organization with two or more rows has a pair.
shared as (
    select organization_id
    from keys
    where organization_id is not null
    group by organization_id
    having count(*) > 1
),

ranked as (
    select candidates.*
    from candidates
    inner join shared on candidates.organization_id = shared.organization_id
),

overrides as (
    select
        breach_id,
        other_breach_id,
        decision
    from {{ ref('stg_seeds__breach_link_overrides') }}
),

-- The pairs an override names, ranked (their rows' organizations can differ), with
-- whether the blocking by organization pairs them too.
overridden as (
    select
        {{ ranked_pair_ids('first_row', 'second_row') }},
        overrides.decision,
        (
            first_row.organization_id = second_row.organization_id
            and {{ reported_near('first_row', 'second_row') }}
        ) as is_blocked_by_organization
    from overrides
    inner join keys as first_row on overrides.breach_id = first_row.breach_id
    inner join keys as second_row on overrides.other_breach_id = second_row.breach_id
),

-- Rows of two organizations where one's name stem is the other's whole name key, ranked
-- the same way: only the names that are both a stem and a key can pair.
stem_keys as (
    select name_key as name from keys
    intersect
    select name_stem as name from keys
),

by_name as (
    select distinct
        {{ ranked_pair_ids('stem_row', 'key_row') }}
    from keys as stem_row
    inner join stem_keys as stems on stem_row.name_stem = stems.name
    inner join keys as key_row on stems.name = key_row.name_key
    where
        stem_row.organization_id != key_row.organization_id
        and {{ reported_near('stem_row', 'key_row') }}
),

-- Rows of two organizations that state one rare count to the unit in one jurisdiction
-- (macro rare_counts: at most linkage_same_count_rows matchable rows state it, counted
-- over every matchable row, so that an incremental refresh decides as a full one),
-- reported at most linkage_same_count_days days apart, whatever their names (macro
-- same_count_near).
counts as (
    select
        jurisdiction_code,
        records_exposed
    from {{ ref('int_breach_candidates') }}
    where is_matchable
),

rare_counts as (
    {{ rare_counts('counts', var('linkage_same_count_rows')) }}
),

by_count as (
    select
        {{ ranked_pair_ids('count_row', 'other_row') }}
    from keys as count_row
    inner join rare_counts
        on
            count_row.jurisdiction_code = rare_counts.jurisdiction_code
            and count_row.records_exposed = rare_counts.records_exposed
    inner join keys as other_row
        on
            count_row.records_exposed = other_row.records_exposed
            and count_row.jurisdiction_code = other_row.jurisdiction_code
    where
        count_row.breach_id < other_row.breach_id
        and count_row.organization_id != other_row.organization_id
        and {{ same_count_near('count_row', 'other_row') }}
),

-- The pairs outside an organization: by name, by count, and the overrides no blocking
-- pairs.
other_pair_ids as (
    select
        breach_id_l,
        breach_id_r
    from by_name
    union
    select
        breach_id_l,
        breach_id_r
    from by_count
    union
    select
        breach_id_l,
        breach_id_r
    from overridden
    where not is_blocked_by_organization
),

-- Two rows of one organization (the first blocking rule), each pair read whole in one
-- join of the organization's rows; the pairs of the other rules join their rows by id.
by_organization as (
    select
        {{ pair_columns(columns, 'lower_row', 'higher_row') }}
    from ranked as lower_row
    inner join ranked as higher_row
        on
            lower_row.organization_id = higher_row.organization_id
            and {{ ranks_lower('lower_row', 'higher_row') }}
            and {{ reported_near('lower_row', 'higher_row') }}
),

outside_organization as (
    select
        {{ pair_columns(columns, 'lower_row', 'higher_row') }}
    from other_pair_ids
    inner join candidates as lower_row on other_pair_ids.breach_id_l = lower_row.breach_id
    inner join candidates as higher_row on other_pair_ids.breach_id_r = higher_row.breach_id
),

blocked as (
    select * from by_organization
    union all
    select * from outside_organization
),

pairs as (
    select
        blocked.*,
        overridden.decision
    from blocked
    left join overridden
        on
            blocked.breach_id_l = overridden.breach_id_l
            and blocked.breach_id_r = overridden.breach_id_r
),

compared as (
    select
        pairs.*,
        {{ breach_link_gammas() }}
    from pairs
),

weighed as (
    select
        compared.*,
        {{ breach_link_match_weight() }} as match_weight,
        {{ breach_link_agreements() }} as agreements
    from compared
)

select
    breach_id_l,
    breach_id_r,
    organization_id_l,
    organization_id_r,
    source_name_l,
    source_name_r,
    source_record_id_r,
    jurisdiction_code_l,
    jurisdiction_code_r,
    reported_on_l,
    reported_on_r,
    records_exposed_l,
    records_exposed_r,
    source_priority_r,
    gamma_name,
    gamma_reported,
    gamma_records,
    gamma_place,
    gamma_breach_type,
    gamma_sources,
    gamma_citation,
    gamma_words,
    cast(match_weight as {{ type_double() }}) as match_weight,
    cast(power(2.0, match_weight) / (1 + power(2.0, match_weight)) as {{ type_double() }}) as match_probability,
    agreements,
    case
        when decision = 'link' then 'override: link'
        when decision = 'no_link' then 'override: no link'
        else 'model'
    end as link_basis,
    case
        when decision = 'link' then true
        when decision = 'no_link' then false
        else power(2.0, match_weight) / (1 + power(2.0, match_weight)) >= {{ var('linkage_threshold') }}
    end as is_linked,
    cast(abs({{ dbt.datediff('reported_on_r', 'reported_on_l', 'day') }}) as {{ dbt.type_int() }}) as days_apart
from weighed
