{% macro breach_is_counted(breaches) -%}
    {#- Whether a breach counts in the metric marts: neither alleged nor excluded
        (fct_breaches.is_counted, copied by fct_breach_records). -#}
    (not {{ breaches }}.is_alleged and not {{ breaches }}.is_excluded)
{%- endmacro %}


{% macro largest_breaches_per_group(relation, columns, n) -%}
    {#- The rows of relation that can be among the n largest breaches of their jurisdiction,
        year and is_counted, in the listing's order (records_exposed descending, unknown
        last, then reported_on, then breach_id: a total order, so the n are exactly the
        ones the ranking lists). The caller ranks what this returns. -#}
    {{ return(adapter.dispatch('largest_breaches_per_group', 'breach_warehouse')(relation, columns, n)) }}
{%- endmacro %}

{% macro default__largest_breaches_per_group(relation, columns, n) -%}
    select {{ columns | join(', ') }}
    from {{ relation }}
{%- endmacro %}

{% macro duckdb__largest_breaches_per_group(relation, columns, n) -%}
    {#- A top-n aggregate keeps n rows per group as it reads, where a window sorts every
        row of every group (at 10M breaches: 1.2 against 3.3 s). -#}
    select unnest(top_rows, recursive := true)
    from (
        select
            min_by(
                { {%- for column in columns %}'{{ column }}': {{ column }}{{ ', ' if not loop.last }}{% endfor -%} },
                {
                    'unknown_size': records_exposed is null,
                    'size_descending': -coalesce(records_exposed, 0),
                    'reported_on': reported_on,
                    'breach_id': breach_id
                },
                {{ n }}
            ) as top_rows
        from {{ relation }}
        group by jurisdiction_code, breach_year, is_counted
    ) as groups_top
{%- endmacro %}


{% macro reported_near(row, other) -%}
    {#- Whether two rows are reported close enough in time for the linkage to compare them:
        at most var linkage_max_years_apart years apart, or either undated. -#}
    (
        abs(year({{ row }}.reported_on) - year({{ other }}.reported_on)) <= {{ var('linkage_max_years_apart') }}
        or {{ row }}.reported_on is null
        or {{ other }}.reported_on is null
    )
{%- endmacro %}


{% macro rare_counts(relation, max_rows) -%}
    {#- The record counts stated to the unit (a hundred or more, not a round hundred) that
        at most max_rows rows of relation state in one jurisdiction: the counts the
        linkage compares rows of unrelated names on (macro same_count_near). A count many
        rows state says little, and bounding the rows keeps the pairs linear in the rows. -#}
    select
        jurisdiction_code,
        records_exposed
    from {{ relation }}
    where records_exposed >= 100 and records_exposed % 100 != 0
    group by jurisdiction_code, records_exposed
    having count(*) <= {{ max_rows }}
{%- endmacro %}


{% macro same_count_near(row, other) -%}
    {#- Whether two rows state one record count in one jurisdiction, reported at most var
        linkage_same_count_days days apart: with a rare count (macro rare_counts), the
        linkage compares them whatever their organizations' names. -#}
    (
        {{ row }}.records_exposed = {{ other }}.records_exposed
        and {{ row }}.jurisdiction_code = {{ other }}.jurisdiction_code
        and abs({{ dbt.datediff(row ~ '.reported_on', other ~ '.reported_on', 'day') }}) <= {{ var('linkage_same_count_days') }}
    )
{%- endmacro %}


{% macro ranked_pair_ids(row, other) -%}
    {#- Two rows' breach ids as a pair's breach_id_l (the lower-ranked row, ranks_lower)
        and breach_id_r, whichever order they come in. -#}
    case
        when {{ ranks_lower(row, other) }} then {{ row }}.breach_id
        else {{ other }}.breach_id
    end as breach_id_l,
    case
        when {{ ranks_lower(row, other) }} then {{ other }}.breach_id
        else {{ row }}.breach_id
    end as breach_id_r
{%- endmacro %}


{% macro ranks_lower(row, other) -%}
    {#- Whether `row` ranks below `other` in the linkage: a lower-priority source (var
        source_priority), or the same source and the larger breach_id. A row can be
        counted in a breach whose row ranks higher; the highest-ranked row of a breach is
        its anchor. -#}
    (
        {{ row }}.source_priority > {{ other }}.source_priority
        or (
            {{ row }}.source_priority = {{ other }}.source_priority
            and {{ row }}.breach_id > {{ other }}.breach_id
        )
    )
{%- endmacro %}


{% macro pair_columns(columns, row, other) -%}
    {#- Each column of a pair's two rows, `row` as <column>_l and `other` as <column>_r. -#}
    {%- for column in columns %}
    {{ row }}.{{ column }} as {{ column }}_l,
    {{ other }}.{{ column }} as {{ column }}_r{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
