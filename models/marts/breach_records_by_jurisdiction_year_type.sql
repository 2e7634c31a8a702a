-- Records exposed per jurisdiction, year reported, data type and whether the breach is
-- counted: the totals behind the dashboard's records-by-data-type chart.

with

records as (
    select
        breach_id,
        data_type,
        records
    from {{ ref('fct_breach_records') }}
),

breaches as (
    select
        breach_id,
        jurisdiction_code,
        breach_year,
        is_counted
    from {{ ref('fct_breaches') }}
)

select
    breaches.jurisdiction_code,
    breaches.breach_year,
    records.data_type,
    breaches.is_counted,
    cast(sum(records.records) as {{ dbt.type_bigint() }}) as records,
    cast(count(distinct records.breach_id) as {{ dbt.type_bigint() }}) as breaches
from records
inner join breaches on records.breach_id = breaches.breach_id
group by breaches.jurisdiction_code, breaches.breach_year, records.data_type, breaches.is_counted
