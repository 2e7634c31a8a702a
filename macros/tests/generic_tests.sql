{% test unique_combination_of_columns(model, combination_of_columns) %}
select
    {{ combination_of_columns | join(', ') }},
    count(*) as duplicate_rows
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}


{% test positive_value(model, column_name) %}
select * from {{ model }} where {{ column_name }} <= 0
{% endtest %}


{% test non_negative_value(model, column_name) %}
select * from {{ model }} where {{ column_name }} < 0
{% endtest %}


{% test date_is_period_start(model, date_column, precision_column) %}
{#- A partial date is stored as the first day of its period: a month-precision date on
    the 1st, a quarter on the 1st of Jan/Apr/Jul/Oct, a year on 1 January. -#}
select * from {{ model }}
where
    {{ date_column }} is not null
    and (
        {{ precision_column }} is null
        or not {{ is_period_start(date_column, precision_column) }}
    )
{% endtest %}


{% test single_current_in_chain(model) %}
{#- A penalty can be superseded at most once, and a chain never loops: every row reaches
    a current (un-superseded) row within a few steps. -#}
with superseded_twice as (
    select supersedes_penalty_id
    from {{ model }}
    where supersedes_penalty_id is not null
    group by supersedes_penalty_id
    having count(*) > 1
),

self_superseding as (
    select supersedes_penalty_id
    from {{ model }}
    where supersedes_penalty_id = penalty_id
)

select * from superseded_twice
union all
select * from self_superseding
{% endtest %}


{% test not_null_constraints(model) %}
{#- The not_null constraints of a mart's contract, checked by one query over every such
    column, on engines that declare them without enforcing them (Spark's Parquet tables).
    DuckDB rejects a null on every insert, so there the test is not built, unless
    var('check_enforced_constraints') asks for it (the test suite does, to run this SQL). -#}
{{ config(enabled=(target.type != 'duckdb' or var('check_enforced_constraints', false))) }}
{%- set not_null_columns = [] %}
{%- if execute %}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model'
        and node.schema == model.schema
        and node.alias == model.identifier %}
        {%- for column in node.columns.values() %}
            {%- if column.constraints | selectattr('type', 'equalto', 'not_null') | list %}
                {%- do not_null_columns.append(column.name) %}
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
    {%- if not not_null_columns %}
        {{ exceptions.raise_compiler_error(
            'not_null_constraints: ' ~ model ~ ' declares no not_null constraint') }}
    {%- endif %}
{%- endif %}
select *
from {{ model }}
where
    {%- for column in not_null_columns %}
    {{ column }} is null{{ ' or' if not loop.last }}
    {%- endfor %}
{% endtest %}


{% test expression_is_true(model, expression) %}
{#- Every row satisfies the expression (a row where it is false or null fails). -#}
select * from {{ model }}
where not coalesce({{ expression }}, false)
{% endtest %}


{% test flags_are_known(model, column_name) %}
{#- A '|'-joined list of data-quality flags names only flags of var('quality_flags'):
    with a '|' on each side, replacing each known '|flag|' by '|' leaves a lone '|'. -#}
{%- set ns = namespace(expr=dbt.concat(["'|'", column_name, "'|'"])) %}
{%- for flag in var('quality_flags') %}
    {%- set ns.expr = "replace(" ~ ns.expr ~ ", '|" ~ flag ~ "|', '|')" %}
{%- endfor %}
select * from {{ model }}
where
    {{ column_name }} is not null
    and {{ ns.expr }} != '|'
{% endtest %}
