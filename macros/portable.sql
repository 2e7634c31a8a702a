{#- Portable helpers: each has a default implementation in ANSI SQL that DuckDB and Spark
    both accept; dialect differences go through adapter.dispatch. -#}

{% macro type_money() %}
    {{ return(adapter.dispatch('type_money', 'breach_warehouse')()) }}
{% endmacro %}

{% macro default__type_money() %}decimal(18, 2){% endmacro %}


{% macro year_of(date_expr) %}
    {{ return(adapter.dispatch('year_of', 'breach_warehouse')(date_expr)) }}
{% endmacro %}

{% macro default__year_of(date_expr) -%}
    cast(extract(year from {{ date_expr }}) as {{ dbt.type_int() }})
{%- endmacro %}


{% macro month_of(date_expr) -%}
    cast(extract(month from {{ date_expr }}) as {{ dbt.type_int() }})
{%- endmacro %}


{% macro year_spine(first_year, last_year) -%}
    {#- One row per year, first_year..last_year inclusive, as a portable union of literals. -#}
    {%- for y in range(first_year | int, (last_year | int) + 1) %}
    select {{ y }} as year_number{% if not loop.last %} union all{% endif %}
    {%- endfor %}
{%- endmacro %}


{% macro type_double() %}
    {{ return(adapter.dispatch('type_double', 'breach_warehouse')()) }}
{% endmacro %}

{#- dbt.type_float() is a 4-byte REAL on DuckDB: too coarse for money and rates. -#}
{% macro default__type_double() %}double{% endmacro %}


{% macro ordered_listagg(measure, delimiter_text) %}
    {#- A group's non-null values joined in ascending order, NULL when there are none.
        dbt.listagg ignores the order on Spark, where the list would come out in any
        order. -#}
    {{ return(adapter.dispatch('ordered_listagg', 'breach_warehouse')(measure, delimiter_text)) }}
{% endmacro %}

{% macro default__ordered_listagg(measure, delimiter_text) -%}
    {{ dbt.listagg(measure, delimiter_text, 'order by ' ~ measure) }}
{%- endmacro %}

{% macro spark__ordered_listagg(measure, delimiter_text) -%}
    case
        when count({{ measure }}) > 0
            then array_join(array_sort(collect_list({{ measure }})), {{ delimiter_text }})
    end
{%- endmacro %}


{% macro raw_source(source_name, table_name) %}
    {#- A source the ingest layer writes as Parquet files. DuckDB reads the files through
        the source's external_location (dbt-duckdb); Spark reads the same files as a
        Parquet relation from the source's meta.parquet_glob. -#}
    {%- set relation = source(source_name, table_name) -%}
    {{ return(adapter.dispatch('raw_source', 'breach_warehouse')(relation, source_name, table_name)) }}
{% endmacro %}

{% macro default__raw_source(relation, source_name, table_name) -%}
    {{ relation }}
{%- endmacro %}

{% macro spark__raw_source(relation, source_name, table_name) -%}
    {%- if execute -%}
        {%- set node = graph.sources['source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name] -%}
        {%- set glob = node.meta.get('parquet_glob') or node.config.meta.get('parquet_glob') -%}
        {%- if not glob -%}
            {{ exceptions.raise_compiler_error('source ' ~ source_name ~ '.' ~ table_name ~ ' has no meta.parquet_glob') }}
        {%- endif -%}
        parquet.`{{ glob }}`
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro %}
