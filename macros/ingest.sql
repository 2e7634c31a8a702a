{#- Helpers for the ingested (raw) rows. -#}

{% macro lineage_columns() -%}
    {#- The lineage every raw table's rows carry (ingest/contract.py LINEAGE), as staged:
        a load written before loads had an as-of date is as of the day it was loaded. -#}
    source_name,
    source_record_id,
    load_id,
    cast(loaded_at as {{ dbt.type_timestamp() }}) as loaded_at,
    file_sha256,
    record_hash,
    coalesce(cast(as_of as date), cast(loaded_at as date)) as as_of
{%- endmacro %}


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


{% macro with_most_rows(relation, column, within=none, where=none) -%}
    {#- The value of `column` that most rows of `relation` have (ties: the lowest value),
        or one per value of `within`: a source's largest load, the largest source. -#}
    {%- set keys = ([within] if within else []) + [column] %}
    select
        {%- for key in keys %}
        sizes.{{ key }}{{ ',' if not loop.last }}
        {%- endfor %}
    from (
        select
            {%- for key in keys %}
            {{ key }},
            {%- endfor %}
            row_number() over (
                {{ 'partition by ' ~ within if within }} order by count(*) desc, {{ column }}
            ) as size_rank
        from {{ relation }}
        {%- if where %}
        where {{ where }}
        {%- endif %}
        group by {{ keys | join(', ') }}
    ) as sizes
    where sizes.size_rank = 1
{%- endmacro %}


{% macro current_versions(relation, partition_by='source_name, source_record_id') -%}
    {#- The current version of every record of a raw table: the one of the latest snapshot
        (as_of: the date its input describes), then the latest loaded (loaded_at, then
        load_id), so an older snapshot loaded later never replaces a newer one;
        with how many versions it has. Only the records loaded more than once are ranked,
        on their key columns: a window over every row and column would make the engine
        buffer (and at scale spill) the whole table, where this reads the rows in one
        streaming pass with a join to the (usually few) multi-version keys. A record has
        at most one row per load (the loader quarantines conflicting duplicates), so its
        key plus load_id identifies a version, and a record with two or more versions has
        one outside its source's largest load: only the keys of the other loads' rows are
        counted, not every key (a source's first load, usually its largest, holds most of
        its rows). -#}
    {%- set keys = partition_by.split(',') | map('trim') | list %}
    select
        versions.*,
        coalesce(multi_version.version_count, 1) as version_count
    from {{ relation }} as versions
    left join (
        select
            {%- for key in keys %}
            ranked_rows.{{ key }},
            {%- endfor %}
            ranked_rows.load_id,
            row_number() over (
                partition by {% for key in keys %}ranked_rows.{{ key }}{{ ', ' if not loop.last }}{% endfor %}
                order by
                    ranked_rows.as_of desc, ranked_rows.loaded_at desc, ranked_rows.load_id desc
            ) as version_rank,
            count(*) over (
                partition by {% for key in keys %}ranked_rows.{{ key }}{{ ', ' if not loop.last }}{% endfor %}
            ) as version_count
        from {{ relation }} as ranked_rows
        inner join (
            select
                {%- for key in keys %}
                keyed_rows.{{ key }}{{ ',' if not loop.last }}
                {%- endfor %}
            from {{ relation }} as keyed_rows
            inner join (
                select distinct
                    {%- for key in keys %}
                    other_rows.{{ key }}{{ ',' if not loop.last }}
                    {%- endfor %}
                from {{ relation }} as other_rows
                left join (
                    {{ with_most_rows(relation, 'load_id', within='source_name') }}
                ) as largest_loads
                    on
                        other_rows.source_name = largest_loads.source_name
                        and other_rows.load_id = largest_loads.load_id
                where largest_loads.load_id is null
            ) as other_keys
                on
                    {%- for key in keys %}
                    {{ 'and ' if not loop.first }}keyed_rows.{{ key }} = other_keys.{{ key }}
                    {%- endfor %}
            group by
                {%- for key in keys %}
                keyed_rows.{{ key }}{{ ',' if not loop.last }}
                {%- endfor %}
            having count(*) > 1
        ) as multi_keys
            on
                {%- for key in keys %}
                {{ 'and ' if not loop.first }}ranked_rows.{{ key }} = multi_keys.{{ key }}
                {%- endfor %}
    ) as multi_version
        on
            {%- for key in keys %}
            versions.{{ key }} = multi_version.{{ key }} and
            {%- endfor %}
            versions.load_id = multi_version.load_id
    where multi_version.version_rank is null or multi_version.version_rank = 1
{%- endmacro %}


{% macro organization_match_key(key_column) -%}
    {#- The form of an organization key that identifies the organization: the key without
        its spaces, so that names spelt with and without them are one organization
        ("Verifications IO LLC" and "Verifications.io"). -#}
    replace({{ key_column }}, ' ', '')
{%- endmacro %}


{% macro organization_name_stem(key_column) -%}
    {#- The short form of an organization key the linkage blocks on: its first word without
        trailing digits or a web ending (var organization_web_endings) when three letters
        or more remain ("ancestrycom" -> "ancestry", "experian2015" -> "experian", "adobe
        systems" -> "adobe"). Two rows of different organizations are compared when one's
        stem is the other's whole key (int_breach_pair_scores). -#}
    {%- set first_word = "regexp_replace(split_part(" ~ key_column ~ ", ' ', 1), '[0-9]+$', '')" -%}
    {%- set without_ending = "regexp_replace(" ~ first_word ~ ", '(" ~ (var('organization_web_endings') | join('|')) ~ ")$', '')" -%}
    case
        when length({{ without_ending }}) >= 3 then {{ without_ending }}
        when length({{ first_word }}) >= 3 then {{ first_word }}
    end
{%- endmacro %}


{% macro organization_id_for(key_column, seed_keys) -%}
    {#- The warehouse organization of an ingested row's organization key, given the row's
        left join to int_organization_seed_keys as `seed_keys` on the match key: the seed
        organization whose name or alias has that match key, else org_<match key>; null
        without a key. -#}
    coalesce(
        {{ seed_keys }}.organization_id,
        {{ dbt.concat(["'org_'", organization_match_key(key_column)]) }}
    )
{%- endmacro %}


{% macro organization_match_for(key_column, seed_keys) -%}
    {#- How organization_id_for resolved the key: seed_name, seed_alias or normalized_name
        (null without a key). -#}
    case
        when {{ key_column }} is not null
            then coalesce({{ seed_keys }}.organization_match, 'normalized_name')
    end
{%- endmacro %}


{% macro in_unseen_load(load_column) -%}
    {#- In an incremental model with a load_id column: true for a raw row from a load no
        row of the model's table comes from yet. -#}
    {{ load_column }} not in (
        select distinct seen.load_id
        from {{ this }} as seen
        where seen.load_id is not null
    )
{%- endmacro %}
