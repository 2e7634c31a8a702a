select
    group_code,
    member_code,
    cast(member_from_year as {{ dbt.type_int() }}) as member_from_year,
    cast(member_to_year as {{ dbt.type_int() }}) as member_to_year,
    source_id
from {{ ref('jurisdiction_memberships') }}
