{#- Helpers for the ingested (raw) rows. -#}

{% macro source_priority(column) -%}
    {#- Rank of a source from var('source_priority'): lower wins. -#}
    case {{ column }}
        {%- for name in var('source_priority') %}
        when '{{ name }}' then {{ loop.index }}
        {%- endfor %}
        else 99
    end
{%- endmacro %}


{% macro source_id_for(column) -%}
    {#- dim_sources id of an ingest source: ds_<source_name>. -#}
    {{ dbt.concat(["'ds_'", column]) }}
{%- endmacro %}


{% macro ingested_id(source_column, record_column) -%}
    {#- Warehouse id of an ingested record: <source_name>:<source_record_id>. -#}
    {{ dbt.concat([source_column, "':'", record_column]) }}
{%- endmacro %}


{% macro current_versions(relation, partition_by='source_name, source_record_id') -%}
    {#- The latest version of every record of a raw table, with how many versions it has. -#}
    select *
    from (
        select
            versions.*,
            row_number() over (
                partition by {{ partition_by }} order by versions.loaded_at desc, versions.load_id desc
            ) as version_rank,
            count(*) over (partition by {{ partition_by }}) as version_count
        from {{ relation }} as versions
    ) as ranked
    where version_rank = 1
{%- endmacro %}
