{#- The words of a breach row's description the linkage compares: lower-cased words of
    four or more letters and digits (starting with a letter), outside HTML tags and web
    addresses, other than the words of the organization's own name, each once. Two rows
    that share words few descriptions use ("skimmers", "70gb", "mongodb") most likely
    describe one event (macro rare_words). -#}

{% macro description_words(text_expr, name_expr) %}
    {{ return(adapter.dispatch('description_words', 'breach_warehouse')(text_expr, name_expr)) }}
{% endmacro %}

{% macro default__description_words(text_expr, name_expr) -%}
    {#- The regular expressions run only on rows with a description. -#}
    case when {{ text_expr }} != '' then
    list_filter(
        list_distinct(regexp_extract_all(
            regexp_replace(
                regexp_replace(lower({{ text_expr }}), '<[^>]*>', ' ', 'g'),
                'https?://[^\s]+', ' ', 'g'
            ),
            '[a-z][a-z0-9]{3,}'
        )),
        lambda word: not list_contains(string_split(coalesce({{ name_expr }}, ''), ' '), word)
    )
    end
{%- endmacro %}

{% macro spark__description_words(text_expr, name_expr) -%}
    case when {{ text_expr }} != '' then
    filter(
        array_distinct(regexp_extract_all(
            regexp_replace(
                regexp_replace(lower({{ text_expr }}), '<[^>]*>', ' '),
                'https?://[^\\s]+', ' '
            ),
            '[a-z][a-z0-9]{3,}', 0
        )),
        word -> not array_contains(split(coalesce({{ name_expr }}, ''), ' '), word)
    )
    end
{%- endmacro %}


{% macro rare_words(relation, common_words) -%}
    {#- Each row of relation (breach_id, description_words) with its words that are not in
        common_words (the seed linkage_common_words: the words of more than one in a
        hundred descriptions of the default warehouse), as the sorted list rare_words; rows
        without one are left out. A fixed vocabulary, not the words' frequency in this
        build, so that a row's words do not depend on the other rows, and an incremental
        refresh decides as a full one. -#}
    select
        words.breach_id,
        {{ collect_list('words.word') }} as rare_words
    from (
        select
            breach_id,
            {{ explode_list('description_words') }} as word
        from {{ relation }}
    ) as words
    left join {{ common_words }} as common_words on words.word = common_words.word
    where common_words.word is null
    group by words.breach_id
{%- endmacro %}
