{#- Currency conversion. Rates are "target currency per one unit of the original currency"
    at the annual average of the year of the decision; the result is rounded to the cent. -#}

{% macro convert_amount(amount, rate) -%}
    cast(round(cast({{ amount }} as {{ type_double() }}) * {{ rate }}, 2) as {{ type_money() }})
{%- endmacro %}
