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
