{% macro country_code_of(jurisdictions) -%}
    {#- The ISO 3166-1 country of a row of stg_seeds__jurisdictions (alias `jurisdictions`):
        a country itself, a subdivision's parent, null above country level. -#}
    case {{ jurisdictions }}.jurisdiction_level
        when 'country' then {{ jurisdictions }}.jurisdiction_code
        when 'subdivision' then {{ jurisdictions }}.parent_code
    end
{%- endmacro %}
