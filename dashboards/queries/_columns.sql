{#- Column lists several queries share. -#}
{% from "_selection.sql" import source_columns %}

{% macro breach_columns() -%}
f.breach_id, f.organization_name, f.jurisdiction_code, j.jurisdiction_name,
f.country_code, f.reported_on, f.reported_label, f.breach_year, f.records_exposed,
f.records_unit, f.breach_type, f.is_alleged, f.is_excluded, f.is_counted,
f.breach_description, f.source_id, {{ source_columns() }}
{%- endmacro %}

{%- macro breach_order() -%}
order by f.records_exposed desc nulls last, f.reported_on, f.breach_id
{%- endmacro %}

{% macro penalty_columns() -%}
f.penalty_id, f.penalty_kind, f.status, f.is_current, f.authority,
f.jurisdiction_code, j.jurisdiction_name, f.country_code, f.organization_name,
f.breach_id, f.legal_basis, f.announced_on, f.announced_label, f.penalty_year,
f.amount::double as amount, f.currency, f.amount_usd::double as amount_usd,
f.amount_eur::double as amount_eur, f.amount_usd_constant::double as amount_usd_constant,
f.supersedes_penalty_id, f.figure_as_stated,
f.penalty_description, f.source_id, {{ source_columns() }}
{%- endmacro %}

{#- The amount of a penalty row in the money $currency names (EUR, USD_CONSTANT, else USD). -#}
{% macro amount() -%}
case $currency
    when 'EUR' then f.amount_eur
    when 'USD_CONSTANT' then f.amount_usd_constant
    else f.amount_usd
end
{%- endmacro %}

{% macro action_columns(targets) -%}
f.action_id, f.action_type, f.title, f.authority, f.jurisdiction_code,
j.jurisdiction_name, f.country_code, f.action_on, f.action_label, f.action_year,
f.status, f.description, {{ targets }} as targets, f.source_id, {{ source_columns() }}
{%- endmacro %}

{#- The jurisdiction's name and the row's source (dim_jurisdictions as j, dim_sources as s). -#}
{% macro named_and_sourced() -%}
join dim_jurisdictions as j on j.jurisdiction_code = f.jurisdiction_code
left join dim_sources as s on s.source_id = f.source_id
{%- endmacro %}

{#- The fact tables keep organization ids only: a download picks its rows first (CTE
`picked`), then names them from dim_organizations, a join over the picked rows only. -#}
{% macro name_picked() -%}
f as (
    select picked.*, o.organization_name
    from picked
    left join dim_organizations as o on o.organization_id = picked.organization_id
)
{%- endmacro %}

{% macro metric_columns(metric_columns) -%}
m.jurisdiction_code, m.jurisdiction_name, m.jurisdiction_level, m.year,
m.population, m.population_basis, m.population_year, m.population_source_id, j.iso_alpha3
{%- for column in metric_columns %}, m.{{ column }}::double as {{ column }}{% endfor %}
{%- endmacro %}
