{#- Organization-name keys for matching: lower case, accents and punctuation removed
    (letters and digits of every script are kept), '&' as 'and', a leading 'the' and
    trailing legal-form words (var organization_legal_suffixes) dropped. The one SQL
    definition; its one Python twin is ingest/reference.py normalize_org_name, which keys
    the ingested names (and the benchmark's synthetic ones), where this keys the seeds'
    names and aliases. tests/test_org_names.py renders this macro for DuckDB and holds the
    two equal on generated names (the function gives None where the macro leaves ''). -#}

{% macro normalize_org_name(expr) %}
    {{ return(adapter.dispatch('normalize_org_name', 'breach_warehouse')(expr)) }}
{% endmacro %}

{% macro _org_name_suffix_pattern() -%}
    {%- set words = var('organization_legal_suffixes') | join('|') -%}
    ( ({{ words }}))+$
{%- endmacro %}

{#- Spark's regexp_replace replaces every match; its string literals take a backslash
    as an escape, hence the doubled ones. -#}
{% macro default__normalize_org_name(expr) -%}
    regexp_replace(
        regexp_replace(
            trim(regexp_replace(
                regexp_replace(replace(lower({{ fold_accents(expr) }}), '&', ' and '), '[.]', ''),
                '[^\\p{L}\\p{N}]+', ' '
            )),
            '^the ', ''
        ),
        '{{ _org_name_suffix_pattern() }}', ''
    )
{%- endmacro %}

{#- DuckDB replaces the first match unless given the 'g' option. -#}
{% macro duckdb__normalize_org_name(expr) -%}
    regexp_replace(
        regexp_replace(
            trim(regexp_replace(
                regexp_replace(replace(lower({{ fold_accents(expr) }}), '&', ' and '), '[.]', '', 'g'),
                '[^\p{L}\p{N}]+', ' ', 'g'
            )),
            '^the ', ''
        ),
        '{{ _org_name_suffix_pattern() }}', ''
    )
{%- endmacro %}


{#- Accents off Latin letters (é -> e, Ł stays): what DuckDB's strip_accents and Python's
    NFD-and-drop-combining-marks do, as one translate() for engines without the function.
    The two strings are the precomposed letters of U+00C0-U+024F and U+1E00-U+1EFF that
    decompose to one base letter, and that letter. -#}
{% macro fold_accents(expr) %}
    {{ return(adapter.dispatch('fold_accents', 'breach_warehouse')(expr)) }}
{% endmacro %}

{% macro default__fold_accents(expr) -%}
    translate({{ expr }}, 'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǢǣǦǧǨǩǪǫǬǭǮǯǰǴǵǸǹǺǻǼǽǾǿȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẛẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ', 'AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzOoUuAaIiOoUuUuUuUuUuAaAaÆæGgKkOoOoƷʒjGgNnAaÆæØøAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoOoOoYyAaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMmMmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtwyſAaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYy')
{%- endmacro %}

{% macro duckdb__fold_accents(expr) -%}
    strip_accents({{ expr }})
{%- endmacro %}
