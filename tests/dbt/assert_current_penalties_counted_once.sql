-- Each supersedes-chain contributes exactly one current row, so totals over is_current
-- never count an amended amount twice.
with successors as (
    select
        penalties.penalty_id,
        penalties.is_current,
        successor.penalty_id as successor_id
    from {{ ref('fct_penalties') }} as penalties
    left join {{ ref('fct_penalties') }} as successor
        on penalties.penalty_id = successor.supersedes_penalty_id
)

select *
from successors
where
    (is_current and successor_id is not null)
    or (not is_current and successor_id is null)
