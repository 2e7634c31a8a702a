{% macro country_code_of(jurisdictions) -%}
    {#- The ISO 3166-1 country of a row of stg_seeds__jurisdictions (alias `jurisdictions`):
        a country itself, a subdivision's parent, null above country level. -#}
    case {{ jurisdictions }}.jurisdiction_level
        when 'country' then {{ jurisdictions }}.jurisdiction_code
        when 'subdivision' then {{ jurisdictions }}.parent_code
    end
{%- endmacro %}


{% macro member_in_year(hierarchy, year) -%}
    {#- Whether a dim_jurisdiction_hierarchy row (alias `hierarchy`) holds in `year` (an
        expression): a jurisdiction's own chain always, a supranational group for the years
        its country was a member. -#}
    (
        {{ hierarchy }}.member_from_year is null
        or {{ year }} >= {{ hierarchy }}.member_from_year
    )
    and (
        {{ hierarchy }}.member_to_year is null
        or {{ year }} <= {{ hierarchy }}.member_to_year
    )
{%- endmacro %}


{% macro rolls_up_into(facts, year_column, hierarchy='hierarchy') -%}
    {#- The join condition of a fact row (alias `facts`, with jurisdiction_code and a year
        column) to the dim_jurisdiction_hierarchy rows it counts for: its jurisdiction's
        own chain, and a supranational group for the years its country was a member. -#}
    {{ facts }}.jurisdiction_code = {{ hierarchy }}.jurisdiction_code
    and {{ member_in_year(hierarchy, facts ~ '.' ~ year_column) }}
{%- endmacro %}
