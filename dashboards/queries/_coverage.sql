{#- The source_coverage rows of $metric in the years whose `column` is one of `values`
    (a list parameter: $codes of jurisdictions, $levels of jurisdiction levels). -#}
{% macro picked_coverage(column, values) -%}
picked as (
    select * from source_coverage
    where
        list_contains({{ values }}, {{ column }})
        and year between $first_year and $last_year
        and metric = $metric
)
{%- endmacro %}
