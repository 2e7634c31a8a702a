select
    penalty_id,
    penalty_kind,
    status as penalty_status,
    organization_id,
    breach_id,
    authority,
    jurisdiction_code,
    legal_basis,
    announced_on,
    announced_precision,
    cast(amount as {{ dbt.type_numeric() }}) as amount,
    upper(currency) as currency,
    figure_as_stated,
    supersedes_penalty_id,
    description as penalty_description,
    source_id
from {{ ref('penalties') }}
