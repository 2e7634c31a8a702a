{#- Currency conversion. Rates are "target currency per one unit of the original currency"
    at the annual average of the year of the decision; the result is rounded to the cent,
    half away from zero.

    The product is a double, then rounded as a whole number of cents: round(x * 100, 0).
    Every engine computes the same double, and a double that is exactly half a cent
    (k.5 cents) is exact in binary, so engines that round the binary value (DuckDB) and
    engines that round its shortest decimal form (Spark) agree. round(x, 2) on a double
    does not: at x.xx5 the two forms fall on different sides. -#}

{% macro convert_amount(amount, rate) -%}
    cast(
        cast(round(cast({{ amount }} as {{ type_double() }}) * {{ rate }} * 100, 0) as decimal(20, 0))
        * 0.01 as {{ type_money() }}
    )
{%- endmacro %}
