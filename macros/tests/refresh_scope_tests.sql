{#- unique and relationships for the largest marts, checked in an incremental refresh on
    the rows that refresh rewrote.

    An incremental refresh (breach_warehouse/refresh.py) builds on a copy of the last good
    warehouse, which the same seeds and models built and every data test passed; it sets
    BW_INCREMENTAL_BUILD=1 for dbt. Every row outside the refresh's scope is then as that
    build left it, so a duplicate key or a dangling reference now involves a rewritten row:
    these tests look only at the keys of rewritten rows (a semi-join on those keys)
    instead of grouping or joining every row of a 10-million-row table. Any other dbt
    invocation (a full refresh, a first build, dbt run by hand) checks every row, as the
    built-in tests do.

    refresh_scope names the rows a refresh rewrites:
    - {rows_of: breaches, organization_column: ..., breach_column: ...}: the incremental
      breach facts (macros/incremental_breaches.sql, in_breach_scope);
    - {rows_of: organizations, organization_column: ...}: dim_organizations (the
      organizations dim_organizations recomputed in this invocation). -#}

{% macro refresh_scoped_tests() -%}
    {#- True only while an incremental refresh runs its dbt build (read at run time, not
        at parse time, so the environment variable does not invalidate the parse). -#}
    {{ return(execute and env_var('BW_INCREMENTAL_BUILD', '') == '1') }}
{%- endmacro %}


{% macro in_refresh_scope(refresh_scope, alias) -%}
    {%- if refresh_scope.rows_of == 'breaches' -%}
        {{ in_breach_scope(alias ~ '.' ~ refresh_scope.organization_column, alias ~ '.' ~ refresh_scope.breach_column) }}
    {%- elif refresh_scope.rows_of == 'organizations' -%}
        {{ alias }}.{{ refresh_scope.organization_column }} in ({{ recomputed_organizations() }})
    {%- else -%}
        {{ exceptions.raise_compiler_error("refresh_scope.rows_of must be 'breaches' or 'organizations', not " ~ refresh_scope.rows_of) }}
    {%- endif -%}
{%- endmacro %}


{% test unique_in_refresh_scope(model, column_name, refresh_scope) %}
-- depends_on: {{ ref('int_raw_breaches_mapped') }}
-- depends_on: {{ ref('dim_organizations') }}
-- depends_on: {{ ref('int_breach_partner_organizations') }}
select
    {{ column_name }} as unique_field,
    count(*) as n_records
from {{ model }}
where
    {{ column_name }} is not null
    {%- if refresh_scoped_tests() %}
    and {{ column_name }} in (
        select rewritten.{{ column_name }}
        from {{ model }} as rewritten
        where {{ in_refresh_scope(refresh_scope, 'rewritten') }}
    )
    {%- endif %}
group by {{ column_name }}
having count(*) > 1
{% endtest %}


{% test relationships_in_refresh_scope(model, column_name, to, field, refresh_scope, matching_columns=[]) %}
{#- Every non-null value of the column is a value of `field` in `to`, and the
    matching_columns (attributes the child copies from its parent) equal the parent's. -#}
-- depends_on: {{ ref('int_raw_breaches_mapped') }}
-- depends_on: {{ ref('dim_organizations') }}
-- depends_on: {{ ref('int_breach_partner_organizations') }}
with

child as (
    select
        {%- for matching in matching_columns %}
        child_rows.{{ matching }},
        {%- endfor %}
        child_rows.{{ column_name }} as from_field
    from {{ model }} as child_rows
    where
        child_rows.{{ column_name }} is not null
        {%- if refresh_scoped_tests() %}
        and {{ in_refresh_scope(refresh_scope, 'child_rows') }}
        {%- endif %}
),

parent as (
    select
        {%- for matching in matching_columns %}
        parent_rows.{{ matching }},
        {%- endfor %}
        parent_rows.{{ field }} as to_field
    from {{ to }} as parent_rows
    {%- if refresh_scoped_tests() %}
    where parent_rows.{{ field }} in (select child.from_field from child)
    {%- endif %}
)

select child.from_field
from child
left join parent on child.from_field = parent.to_field
where
    parent.to_field is null
    {%- for matching in matching_columns %}
    or child.{{ matching }} is distinct from parent.{{ matching }}
    {%- endfor %}
{% endtest %}
