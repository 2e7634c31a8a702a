select
    source_name,
    source_value,
    breach_type,
    cast(priority as {{ dbt.type_int() }}) as priority
from {{ ref('map_breach_types') }}
