{#- Currency conversion. Rates are "target currency per one unit of the original currency"
    at the annual average of the year of the decision; the result is rounded to the cent.
    The product is taken in decimal arithmetic (the rate to 10 decimal places), so every
    engine rounds the same exact value half away from zero: rounding a double differs
    between engines at half a cent (DuckDB rounds the binary value, Spark its shortest
    decimal form). -#}

{% macro convert_amount(amount, rate) -%}
    cast(round(
        cast({{ amount }} as {{ type_money() }}) * cast({{ rate }} as {{ type_rate() }}), 2
    ) as {{ type_money() }})
{%- endmacro %}


{% macro type_rate() -%}
    decimal(18, 10)
{%- endmacro %}
