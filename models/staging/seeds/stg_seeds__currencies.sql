select
    upper(currency) as currency,
    currency_name,
    numeric_code
from {{ ref('currencies') }}
