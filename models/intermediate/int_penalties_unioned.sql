-- Fines, penalties and settlements from every origin, in their original currency.
select
    penalty_id,
    penalty_kind,
    penalty_status,
    organization_id,
    breach_id,
    authority,
    jurisdiction_code,
    legal_basis,
    announced_on,
    announced_precision,
    amount,
    currency,
    figure_as_stated,
    supersedes_penalty_id,
    penalty_description,
    'seed' as source_name,
    source_id
from {{ ref('stg_seeds__penalties') }}
