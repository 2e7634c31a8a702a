{#- The selection every filtered chart shares, defined once.

A row is in the selection when its own jurisdiction rolls up into a selected one (US
includes Illinois; the EU includes a member state for the years it was a member) in a
selected year: the (jurisdiction, year) pairs of `selection`, a few thousand at most,
which a mart's rows semi-join. Parameters: codes, first_year, last_year. -#}

{% macro selection() -%}
selection as (
    select distinct h.jurisdiction_code, y.year
    from dim_jurisdiction_hierarchy as h
    cross join range($first_year, $last_year + 1) as y (year)
    where
        list_contains($codes, h.rollup_code)
        and (h.member_from_year is null or y.year >= h.member_from_year)
        and (h.member_to_year is null or y.year <= h.member_to_year)
)
{%- endmacro %}

{#- Keeps the rows of `alias` whose jurisdiction and `year` column are selected. -#}
{% macro in_selection(alias, year) -%}
semi join selection
    on selection.jurisdiction_code = {{ alias }}.jurisdiction_code
    and selection.year = {{ alias }}.{{ year }}
{%- endmacro %}

{#- The action-type filter: every type when $types is empty. -#}
{% macro of_types(alias) -%}
(len($types) = 0 or list_contains($types, {{ alias }}.action_type))
{%- endmacro %}

{#- A source's title, publisher and address (dim_sources joined as s). -#}
{% macro source_columns() -%}
s.source_title, s.publisher, s.source_url
{%- endmacro %}

{#- The rows of `table` whose jurisdiction and year reported (reported_on) are selected. -#}
{% macro reported_in_selection(table) -%}
select f.* exclude (reported_year)
from (select *, year(reported_on) as reported_year from {{ table }}) as f
{{ in_selection('f', 'reported_year') }}
{%- endmacro %}
