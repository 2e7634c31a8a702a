with

actions as (
    select * from {{ ref('int_regulatory_actions_unioned') }}
),

jurisdictions as (
    select
        jurisdiction_code,
        country_code
    from {{ ref('dim_jurisdictions') }}
)

select
    actions.action_id,
    actions.action_type,
    actions.action_title as title,
    actions.authority,
    actions.jurisdiction_code,
    jurisdictions.country_code,
    actions.action_on,
    actions.action_precision,
    {{ partial_date_label('actions.action_on', 'actions.action_precision') }} as action_label,
    actions.action_on_source_id,
    actions.date_as_stated,
    {{ year_of('actions.action_on') }} as action_year,
    actions.action_status as status,
    actions.subjects,
    actions.action_description as description,
    actions.related_action_id,
    actions.source_name,
    actions.source_id
from actions
left join jurisdictions on actions.jurisdiction_code = jurisdictions.jurisdiction_code
