{#- Dates in the warehouse are stored as the first day of the period they name, with a
    precision of day, month, quarter or year. These macros turn that pair into a label
    and check the pair is consistent. -#}

{% macro partial_date_label(date_expr, precision_expr) -%}
    case {{ precision_expr }}
        when 'day' then cast({{ date_expr }} as {{ dbt.type_string() }})
        when 'month' then {{ dbt.concat([
            "cast(" ~ year_of(date_expr) ~ " as " ~ dbt.type_string() ~ ")",
            "'-'",
            "lpad(cast(" ~ month_of(date_expr) ~ " as " ~ dbt.type_string() ~ "), 2, '0')"]) }}
        when 'quarter' then {{ dbt.concat([
            "cast(" ~ year_of(date_expr) ~ " as " ~ dbt.type_string() ~ ")",
            "'-Q'",
            "cast(cast(floor((" ~ month_of(date_expr) ~ " - 1) / 3) + 1 as " ~ dbt.type_int() ~ ") as " ~ dbt.type_string() ~ ")"]) }}
        when 'year' then cast({{ year_of(date_expr) }} as {{ dbt.type_string() }})
    end
{%- endmacro %}


{% macro is_period_start(date_expr, precision_expr) -%}
    (
        {{ precision_expr }} = 'day'
        or ({{ precision_expr }} = 'month' and extract(day from {{ date_expr }}) = 1)
        or (
            {{ precision_expr }} = 'quarter'
            and extract(day from {{ date_expr }}) = 1
            and {{ month_of(date_expr) }} in (1, 4, 7, 10)
        )
        or (
            {{ precision_expr }} = 'year'
            and extract(day from {{ date_expr }}) = 1
            and {{ month_of(date_expr) }} = 1
        )
    )
{%- endmacro %}
