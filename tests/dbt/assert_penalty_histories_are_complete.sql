-- Every history in agg_penalty_versions reaches its first version: a listed version that
-- supersedes another is followed by that version in the same history. Fails when a history
-- is longer than the mart walks back (its chain_depth), instead of cutting it silently.
select
    versions.current_penalty_id,
    versions.penalty_id,
    penalties.supersedes_penalty_id
from {{ ref('agg_penalty_versions') }} as versions
inner join {{ ref('fct_penalties') }} as penalties
    on versions.penalty_id = penalties.penalty_id
where
    penalties.supersedes_penalty_id is not null
    and not exists (
        select 1
        from {{ ref('agg_penalty_versions') }} as earlier
        where
            earlier.current_penalty_id = versions.current_penalty_id
            and earlier.penalty_id = penalties.supersedes_penalty_id
    )
