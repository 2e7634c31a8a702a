-- Every mart of the project as dbt's manifest describes it at build time (the graph of
-- the run): its name, its folder under models/ and whether it is a fact table (fct_ or
-- bridge_), whose rows the dashboard counts from agg_fact_rows_by_mart instead of
-- scanning the table. The dashboard's Data page lists the warehouse's marts from here.

{%- set marts = [] %}
{%- if execute %}
    {%- for node in graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | selectattr('package_name', 'equalto', project_name)
        | sort(attribute='name') %}
        {%- if node.original_file_path.startswith('models/marts/') %}
            {%- do marts.append(node) %}
        {%- endif %}
    {%- endfor %}
{%- endif %}

{%- for node in marts %}
select
    cast('{{ node.name }}' as {{ dbt.type_string() }}) as mart,
    cast(
        '{{ node.original_file_path.split("/")[1:-1] | join("/") }}' as {{ dbt.type_string() }}
    ) as mart_folder,
    {{ 'true' if node.name.startswith('fct_') or node.name.startswith('bridge_') else 'false' }}
        as is_fact_table
{%- if not loop.last %}
union all
{%- endif %}
{%- else %}
select
    cast(null as {{ dbt.type_string() }}) as mart,
    cast(null as {{ dbt.type_string() }}) as mart_folder,
    false as is_fact_table
where false
{%- endfor %}
