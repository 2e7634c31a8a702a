-- Every pair of source rows the linkage compares, with the linkage model's verdict.
-- A pair is two matchable rows of one organization (the first blocking rule: an
-- organization's name, seed name or alias), two matchable rows of different organizations
-- where one row's name stem is the other's whole name key (the second: "Adobe" and "Adobe
-- Systems", "Ancestry" and "Ancestry.com"; macro organization_name_stem), or two rows an
-- analyst override names (seeds/breach_link_overrides.csv); rows reported more than
-- linkage_max_years_apart years apart are compared only when an override names them.
-- The lower-ranked row (a lower-priority source, var source_priority, then the larger
-- breach_id) is row _l, the row it can be counted in is _r. The comparison levels and
-- the match weight are the trained Splink model's (macros/linkage/breach_linkage_model.sql,
-- generated from breach_warehouse/linkage/model.json); link_basis says whether the model
-- or an override decides, and is_linked whether the two rows report one breach.

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
    'breach_id', 'source_name', 'organization_id', 'name_key', 'name_stem', 'source_rows',
    'jurisdiction_code', 'country_code', 'reported_on', 'reported_precision',
    'records_exposed', 'breach_type', 'source_priority'
] %}

with

matchable as (
    select * from {{ ref('int_breach_candidates') }}
    where is_matchable
),

in_scope as (
    select * from matchable
    {%- if is_incremental() %}
    where {{ in_breach_scope('organization_id', 'breach_id') }}
    {%- endif %}
),

-- How many rows the organization has in the row's source: an organization with one row
-- in each of two sources most likely reports one breach in both.
source_rows as (
    select
        organization_id,
        source_name,
        count(*) as source_rows
    from in_scope
    where organization_id is not null
    group by organization_id, source_name
),

candidates as (
    select
        in_scope.*,
        source_rows.source_rows
    from in_scope
    left join source_rows
        on
            in_scope.organization_id = source_rows.organization_id
            and in_scope.source_name = source_rows.source_name
),

overrides as (
    select
        breach_id,
        other_breach_id,
        decision
    from {{ ref('stg_seeds__breach_link_overrides') }}
),

-- Only an organization with two or more rows has a pair.
shared as (
    select organization_id
    from candidates
    where organization_id is not null
    group by organization_id
    having count(*) > 1
),

ranked as (
    select candidates.*
    from candidates
    inner join shared on candidates.organization_id = shared.organization_id
),

by_organization as (
    select
        lower_row.breach_id as breach_id_l,
        higher_row.breach_id as breach_id_r
    from ranked as lower_row
    inner join ranked as higher_row
        on
            lower_row.organization_id = higher_row.organization_id
            and {{ ranks_lower('lower_row', 'higher_row') }}
            and {{ reported_near('lower_row', 'higher_row') }}
),

-- Rows of two organizations whose names share a stem, ranked the same way.
by_name as (
    select
        {{ ranked_pair_ids('stem_row', 'key_row') }}
    from candidates as stem_row
    inner join candidates as key_row on stem_row.name_stem = key_row.name_key
    where
        stem_row.organization_id != key_row.organization_id
        and {{ reported_near('stem_row', 'key_row') }}
),

-- Rows of two organizations that state one rare count to the unit in one jurisdiction
-- (macro rare_counts: at most linkage_same_count_rows matchable rows state it, counted
-- over every matchable row, so that an incremental refresh decides as a full one),
-- reported at most linkage_same_count_days days apart, whatever their names (macro
-- same_count_near).
rare_counts as (
    {{ rare_counts('matchable', var('linkage_same_count_rows')) }}
),

by_count as (
    select
        {{ ranked_pair_ids('count_row', 'other_row') }}
    from candidates as count_row
    inner join rare_counts
        on
            count_row.jurisdiction_code = rare_counts.jurisdiction_code
            and count_row.records_exposed = rare_counts.records_exposed
    inner join candidates as other_row
        on
            count_row.records_exposed = other_row.records_exposed
            and count_row.jurisdiction_code = other_row.jurisdiction_code
    where
        count_row.breach_id < other_row.breach_id
        and count_row.organization_id != other_row.organization_id
        and {{ same_count_near('count_row', 'other_row') }}
),

blocked as (
    select * from by_organization
    union
    select * from by_name
    union
    select * from by_count
),

-- The pairs an override names, ranked the same way (their rows' organizations can differ).
overridden as (
    select
        {{ ranked_pair_ids('first_row', 'second_row') }},
        overrides.decision
    from overrides
    inner join candidates as first_row on overrides.breach_id = first_row.breach_id
    inner join candidates as second_row on overrides.other_breach_id = second_row.breach_id
),

pair_ids as (
    select
        coalesce(blocked.breach_id_l, overridden.breach_id_l) as breach_id_l,
        coalesce(blocked.breach_id_r, overridden.breach_id_r) as breach_id_r,
        overridden.decision
    from blocked
    full outer join overridden
        on
            blocked.breach_id_l = overridden.breach_id_l
            and blocked.breach_id_r = overridden.breach_id_r
),

pairs as (
    select
        {%- for column in columns %}
        lower_row.{{ column }} as {{ column }}_l,
        higher_row.{{ column }} as {{ column }}_r,
        {%- endfor %}
        pair_ids.decision
    from pair_ids
    inner join candidates as lower_row on pair_ids.breach_id_l = lower_row.breach_id
    inner join candidates as higher_row on pair_ids.breach_id_r = higher_row.breach_id
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
    source_priority_r,
    gamma_name,
    gamma_reported,
    gamma_records,
    gamma_place,
    gamma_breach_type,
    gamma_sources,
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
