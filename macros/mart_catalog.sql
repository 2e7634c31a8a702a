{#- One row per mart of the project (a model under models/marts/) as dbt's graph of the
    run describes it: mart, mart_folder (its folder under models/), is_fact_table (fct_
    or bridge_). No rows while dbt parses (execute false). -#}
{% macro mart_catalog_rows() %}
    {%- set marts = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() | sort(attribute='name') -%}
            {%- if node.resource_type == 'model' and node.package_name == project_name
                and node.original_file_path.startswith('models/marts/') -%}
                {%- do marts.append(node) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for node in marts %}
    select
        '{{ node.name }}' as mart,
        '{{ node.original_file_path.split("/")[1:-1] | join("/") }}' as mart_folder,
        {{ node.name.startswith('fct_') or node.name.startswith('bridge_') }} as is_fact_table
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select
        null as mart,
        null as mart_folder,
        false as is_fact_table
    where false
    {%- endfor %}
{% endmacro %}
