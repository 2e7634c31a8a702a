{#- The decision-date FX lookup of fct_penalties, and the penalties an incremental refresh
    recomputes (DuckDB; on Spark fct_penalties is rebuilt as a table).

    A penalty row depends on its record's current version, on the daily rates of its
    decision's week, and otherwise on seeds (annual rates, jurisdictions, organization keys,
    sources), whose change rebuilds everything (breach_warehouse/build_fingerprint.py).
    Ingested penalties supersede none (int_penalties_unioned), so a new version changes
    no other row's is_current. A refresh therefore recomputes the penalties with a version
    in a load fct_penalties has not seen, and those whose rate the current daily rates
    would change (a new or revised ECB rate in their window), and no other. -#}

{% macro penalty_fx_rates(dated, daily_rates, annual_rates) -%}
    {#- One row per penalty of `dated` (penalty_id, currency, announced_on,
        announced_precision, penalty_year): the ECB rate of the decision day, or of the
        nearest earlier quoted day at most var('fx_max_days_back') days before, when the
        decision is dated to the day; else the annual average rate of the decision year;
        else (a decision of unknown date, or of a year with no rate), a rate of one to its
        own currency (EUR to EUR, USD to USD: basis same_currency) and none to the other.
        The days of the window are joined on their date (one row per day back), not on a
        date range: a range condition beside the currency would pair every decision with
        every quoted day of its currency. -#}
    select
        {{ dated }}.penalty_id,
        coalesce(
            decision_day_rates.rate_to_usd,
            {{ annual_rates }}.rate_to_usd,
            case when {{ dated }}.currency = 'USD' then cast(1 as {{ type_double() }}) end
        ) as rate_to_usd,
        coalesce(
            decision_day_rates.rate_to_eur,
            {{ annual_rates }}.rate_to_eur,
            case when {{ dated }}.currency = 'EUR' then cast(1 as {{ type_double() }}) end
        ) as rate_to_eur,
        case
            when decision_day_rates.penalty_id is not null then 'decision_date'
            when {{ annual_rates }}.currency is not null then {{ annual_rates }}.rate_basis
            when {{ dated }}.currency in ('EUR', 'USD') then 'same_currency'
        end as rate_basis,
        decision_day_rates.rate_date
    from {{ dated }}
    left join (
        select
            penalty_id,
            rate_date,
            rate_to_usd,
            rate_to_eur
        from (
            select
                {{ dated }}.penalty_id,
                {{ daily_rates }}.rate_date,
                {{ daily_rates }}.rate_to_usd,
                {{ daily_rates }}.rate_to_eur,
                row_number() over (
                    partition by {{ dated }}.penalty_id order by {{ daily_rates }}.rate_date desc
                ) as rate_rank
            from {{ dated }}
            cross join (
                {%- for days_back in range(0, var('fx_max_days_back') + 1) %}
                select {{ days_back }} as days_back{% if not loop.last %} union all{% endif %}
                {%- endfor %}
            ) as window_days
            inner join {{ daily_rates }}
                on
                    {{ dated }}.currency = {{ daily_rates }}.currency
                    and {{ daily_rates }}.rate_date = cast(
                        {{ dbt.dateadd('day', '-1 * window_days.days_back', dated ~ '.announced_on') }} as date
                    )
            where {{ dated }}.announced_precision = 'day'
        ) as ranked
        where rate_rank = 1
    ) as decision_day_rates
        on {{ dated }}.penalty_id = decision_day_rates.penalty_id
    left join {{ annual_rates }}
        on
            {{ dated }}.currency = {{ annual_rates }}.currency
            and {{ dated }}.penalty_year = {{ annual_rates }}.rate_year
{%- endmacro %}
