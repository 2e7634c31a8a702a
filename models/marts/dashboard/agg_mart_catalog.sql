-- Every mart of the project as dbt's manifest describes it at build time (the graph of
-- the run, macros/mart_catalog.sql): its name, its folder under models/ and whether it is
-- a fact table (fct_ or bridge_), whose rows the dashboard counts from
-- agg_fact_rows_by_mart instead of scanning the table. The dashboard's Data page lists
-- the warehouse's marts from here.

with

catalog as (
    {{ mart_catalog_rows() }}
)

select
    cast(mart as {{ dbt.type_string() }}) as mart,
    cast(mart_folder as {{ dbt.type_string() }}) as mart_folder,
    cast(is_fact_table as boolean) as is_fact_table
from catalog
