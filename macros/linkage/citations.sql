{#- The pages a breach row cites: the web addresses in its source URL and in its
    description (a link, or an address written out), each without its scheme, "www.",
    query, fragment and trailing slashes, lower-cased, each once; a page, not a site's
    home page (an address with a path). Two sources that cite one news article or notice
    most likely report one event (macro rare_citations). -#}

{% macro cited_urls(url_expr, text_expr) %}
    {{ return(adapter.dispatch('cited_urls', 'breach_warehouse')(url_expr, text_expr)) }}
{% endmacro %}

{% macro default__cited_urls(url_expr, text_expr) -%}
    {#- The regular expressions run only on rows that hold an address at all. -#}
    case when concat_ws(' ', {{ url_expr }}, {{ text_expr }}) like '%http%' then
    list_filter(list_distinct(list_transform(
        regexp_extract_all(
            concat_ws(' ', {{ url_expr }}, {{ text_expr }}), 'https?://[^\s;"<>]+'
        ),
        lambda cited: regexp_replace(
            regexp_replace(lower(cited), '^https?://(www\.)?|[?#].*$', '', 'g'), '/+$', ''
        )
    )), lambda page: page like '%/%')
    end
{%- endmacro %}

{% macro spark__cited_urls(url_expr, text_expr) -%}
    case when concat_ws(' ', {{ url_expr }}, {{ text_expr }}) like '%http%' then
    filter(array_distinct(transform(
        regexp_extract_all(
            concat_ws(' ', {{ url_expr }}, {{ text_expr }}), 'https?://[^\\s;"<>]+', 0
        ),
        cited -> regexp_replace(
            regexp_replace(lower(cited), '^https?://(www\\.)?|[?#].*$', ''), '/+$', ''
        )
    )), page -> page like '%/%')
    end
{%- endmacro %}


{% macro rare_citations(relation, max_rows) -%}
    {#- Each row of relation (breach_id, organization_id, cited_urls) with the pages it
        cites that at most max_rows rows of its organization cite (a row without an
        organization is its own), as the list cited_urls; rows without such a page are
        left out. A page an organization's many rows cite (an agency's annual report, a
        source's own catalogue page) says nothing about which of them report one event.
        Counted within the organization, so an incremental refresh, which recomputes an
        organization's rows whole, decides as a full one. -#}
    select
        breach_id,
        {{ collect_list('cited_url') }} as cited_urls
    from (
        select
            breach_id,
            cited_url,
            count(*) over (partition by citing_group, cited_url) as citing_rows
        from (
            select
                breach_id,
                coalesce(organization_id, breach_id) as citing_group,
                {{ explode_list('cited_urls') }} as cited_url
            from {{ relation }}
        ) as citations
    ) as counted
    where citing_rows <= {{ max_rows }}
    group by breach_id
{%- endmacro %}


{% macro explode_list(expr) %}
    {#- One row per element of a list, in a select list. -#}
    {{ return(adapter.dispatch('explode_list', 'breach_warehouse')(expr)) }}
{% endmacro %}

{% macro default__explode_list(expr) %}unnest({{ expr }}){% endmacro %}

{% macro spark__explode_list(expr) %}explode({{ expr }}){% endmacro %}


{% macro collect_list(expr) %}
    {#- A group's values as a list, sorted. -#}
    {{ return(adapter.dispatch('collect_list', 'breach_warehouse')(expr)) }}
{% endmacro %}

{% macro default__collect_list(expr) %}list({{ expr }} order by {{ expr }}){% endmacro %}

{% macro spark__collect_list(expr) %}array_sort(collect_list({{ expr }})){% endmacro %}
