{% macro drop_build_schemas() %}
    {#- Drops the target's schema and the ones dbt derives from it (<schema>_seeds,
        <schema>_staging) with their tables: what a parity build leaves in a cluster's
        catalog. The marts' Parquet files stay (their tables are external, at
        location_root). -#}
    {%- set schemas = run_query('show schemas').columns[0].values() -%}
    {%- for schema in schemas -%}
        {%- if schema == target.schema or schema.startswith(target.schema ~ '_') -%}
            {%- do drop_schema(api.Relation.create(schema=schema)) -%}
            {{- log('dropped schema ' ~ schema, info=true) -}}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}
