{% macro breach_is_counted(breaches) -%}
    {#- Whether a breach counts in the metric marts: neither alleged nor excluded
        (fct_breaches.is_counted, copied by fct_breach_records). -#}
    (not {{ breaches }}.is_alleged and not {{ breaches }}.is_excluded)
{%- endmacro %}
