"""The benchmark's pandas peer: agg_jurisdiction_year_metrics as an analyst would write it.

The same definition as ``models/marts/dashboard/agg_jurisdiction_year_metrics.sql`` from the
same inputs (the raw Parquet under ``<data_dir>/raw``, the seed CSVs) and the linkage's
decisions (``--decisions``: breach_source_matches' ``source_breach_id -> breach_id``, the
warehouse's Splink-model verdicts, which a notebook would not re-derive): the current
version of every ingested record, seed facts beside them; a source row matched to another
row's breach counted in that breach (never again on its own), each breach's records
exposed the largest any of its rows states (else its largest per-type count, over every
row's children); superseded penalties and alleged or excluded breaches left out; money
converted at the ECB rate of the decision day (or the nearest earlier quoted day at most
``fx_max_days_back`` days before) when the decision is dated to the day, else at the
decision year's annual rate (``fx_rates.csv``), and to constant dollars of the CPI-U base
year; facts rolled up along the jurisdiction hierarchy, a jurisdiction x year grid with
zeros, populations and per-million and cumulative figures (``pandas_seeds.py``).

    python -m breach_warehouse.bench.pandas_baseline --data-dir DIR --decisions FILE --out FILE
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from breach_warehouse.bench.pandas_io import (
    ACTION_TYPES,
    FX_DAYS_BACK,
    VARS,
    VERSION,
    YEARS,
    current,
    raw,
    seed,
    whole_cents,
    year_of,
)
from breach_warehouse.bench.pandas_seeds import hierarchy, populations

MEASURES = (
    "breaches",
    "records_exposed",
    "penalties",
    "penalties_usd",
    "penalties_eur",
    "penalties_usd_constant",
    "regulatory_actions",
)


# ---------------------------------------------------------------- facts


def breach_facts(data_dir: Path, decisions: Path) -> pd.DataFrame:
    b = current(
        raw(
            data_dir,
            "breaches",
            [*VERSION, "jurisdiction_code", "reported_on", "records_exposed", "exclusion_reason"],
        )
    )
    b["breach_id"] = b["source_name"] + ":" + b["source_record_id"]
    matches = pd.read_parquet(decisions, columns=["source_breach_id", "breach_id"])
    anchor_of = matches.set_index("source_breach_id")["breach_id"]

    s = seed("breaches", dtype={"records_exposed": "Int64"})
    rows = pd.concat(
        [
            b[["breach_id", "records_exposed"]],
            s[["breach_id", "records_exposed"]],
        ],
        ignore_index=True,
    )
    # Per-type counts: the children of each row's current version, on its breach.
    children = raw(
        data_dir, "breach_records", ["source_name", "load_id", "breach_source_record_id", "records"]
    )
    children = children[children["records"].notna()].merge(
        b[["source_name", "source_record_id", "load_id", "breach_id"]],
        left_on=["source_name", "breach_source_record_id", "load_id"],
        right_on=["source_name", "source_record_id", "load_id"],
    )
    children["breach_id"] = children["breach_id"].map(anchor_of).fillna(children["breach_id"])
    seed_children = seed("breach_records")[["breach_id", "records"]]
    per_type = pd.concat([children[["breach_id", "records"]], seed_children], ignore_index=True)
    largest_type = per_type.groupby("breach_id")["records"].max().astype("float64")
    # The largest count a matched row states, on the breach it is counted in.
    matched = matches.merge(
        rows.rename(columns={"breach_id": "source_breach_id"}), on="source_breach_id"
    )
    largest_matched = (
        matched[matched["records_exposed"].notna()]
        .groupby("breach_id")["records_exposed"]
        .max()
        .astype("float64")
    )

    b = b[~b["breach_id"].isin(anchor_of.index)]
    b = b[b["exclusion_reason"].isna()]
    s = s[~s["is_alleged"].astype(str).str.lower().eq("true")]
    cols = ["breach_id", "jurisdiction_code", "reported_on", "records_exposed"]
    both = pd.concat([b[cols], s[cols]], ignore_index=True)
    own = both["records_exposed"].astype("float64")
    best = both["breach_id"].map(largest_matched)
    fallback = own.fillna(both["breach_id"].map(largest_type))
    both["records"] = best.where(best > own.fillna(-1), fallback)
    both["year"] = year_of(both["reported_on"])
    both["records"] = both["records"].fillna(0).astype("int64")
    return (
        both.groupby(["jurisdiction_code", "year"])
        .agg(breaches=("records", "size"), records_exposed=("records", "sum"))
        .reset_index()
    )


def daily_rates(data_dir: Path) -> pd.DataFrame:
    """The ECB's daily rates: EUR and USD per unit of each currency on each quoted day."""
    fx = raw(data_dir, "fx_rates", [*VERSION, "currency", "rate_date", "units_per_eur"])
    fx["currency"] = fx["currency"].str.upper()
    fx = current(fx, ("currency", "rate_date"))
    usd = fx.loc[fx["currency"] == "USD", ["rate_date", "units_per_eur"]].rename(
        columns={"units_per_eur": "usd_per_eur"}
    )
    eur = usd.assign(currency="EUR", units_per_eur=1.0)[["currency", "rate_date", "units_per_eur"]]
    quoted = pd.concat(
        [fx.loc[fx["currency"] != "EUR", ["currency", "rate_date", "units_per_eur"]], eur],
        ignore_index=True,
    ).merge(usd, on="rate_date")
    quoted["rate_to_eur"] = 1.0 / quoted["units_per_eur"]
    quoted["rate_to_usd"] = quoted["usd_per_eur"] / quoted["units_per_eur"]
    quoted["rate_date"] = pd.to_datetime(quoted["rate_date"])
    return quoted[["currency", "rate_date", "rate_to_usd", "rate_to_eur"]]


def to_base_year_factors() -> pd.DataFrame:
    """CPI-U of the base year over that of each year (base: the var, else the latest year
    of twelve months)."""
    cpi = seed("cpi_u_annual")
    base = VARS.get("constant_usd_base_year")
    if base is None:
        base = cpi.loc[cpi["cpi_basis"] == "annual_average", "year"].max()
    base_cpi = float(cpi.loc[cpi["year"] == int(base), "cpi_u"].iloc[0])
    return pd.DataFrame({"year": cpi["year"], "factor": base_cpi / cpi["cpi_u"].astype(float)})


def penalty_facts(data_dir: Path) -> pd.DataFrame:
    cols = ["jurisdiction_code", "announced_on", "announced_precision", "amount", "currency"]
    p = current(raw(data_dir, "penalties", [*VERSION, *cols]))[cols].copy()
    p["announced_precision"] = p["announced_precision"].fillna("unknown")
    p["amount"] = p["amount"].astype("float64")

    s = seed("penalties")
    s = s[~s["penalty_id"].isin(set(s["supersedes_penalty_id"].dropna()))][cols].copy()

    both = pd.concat([p, s], ignore_index=True)
    both["currency"] = both["currency"].str.upper()
    both["announced_on"] = pd.to_datetime(both["announced_on"])
    both["year"] = year_of(both["announced_on"])
    both = both[both["year"].notna()].reset_index(drop=True)
    # The decision day's rate, or the nearest earlier quoted day within the window.
    daily = daily_rates(data_dir)
    to_day = both[both["announced_precision"] == "day"][["currency", "announced_on"]]
    found = pd.DataFrame(columns=["rate_to_usd", "rate_to_eur"], dtype="float64")
    for days_back in range(FX_DAYS_BACK + 1):
        ask = to_day[~to_day.index.isin(found.index)]
        day = ask["announced_on"] - pd.Timedelta(days=days_back)
        hit = (
            ask.assign(rate_date=day)
            .reset_index()
            .merge(daily, on=["currency", "rate_date"])
            .set_index("index")[["rate_to_usd", "rate_to_eur"]]
        )
        found = pd.concat([found, hit])
    annual = seed("fx_rates")[["currency", "year", "rate_to_usd", "rate_to_eur"]]
    yearly = both[["currency", "year"]].merge(annual, on=["currency", "year"], how="left")
    yearly.index = both.index
    for target in ("usd", "eur"):
        rate = found[f"rate_to_{target}"].reindex(both.index).fillna(yearly[f"rate_to_{target}"])
        # Money in whole cents: the amount times the rate, rounded half away from zero.
        both[f"cents_{target}"] = whole_cents(both["amount"].astype("float64") * rate * 100)
    both = both.merge(to_base_year_factors(), on="year", how="left")
    usd = both["cents_usd"].astype("float64") / 100
    both["cents_usd_constant"] = whole_cents(usd * both["factor"] * 100)
    return (
        both.groupby(["jurisdiction_code", "year"])
        .agg(
            penalties=("currency", "size"),
            penalties_usd=("cents_usd", lambda v: v.fillna(0).sum()),
            penalties_eur=("cents_eur", lambda v: v.fillna(0).sum()),
            penalties_usd_constant=("cents_usd_constant", lambda v: v.fillna(0).sum()),
            largest_penalty_usd=("cents_usd", "max"),
        )
        .reset_index()
    )


def action_facts(data_dir: Path) -> pd.DataFrame:
    r = current(
        raw(
            data_dir,
            "regulatory_actions",
            [*VERSION, "jurisdiction_code", "action_on", "action_type"],
        )
    )
    s = seed("regulatory_actions")
    both = pd.concat(
        [
            r[["jurisdiction_code", "action_on", "action_type"]],
            s[["jurisdiction_code", "action_on", "action_type"]],
        ],
        ignore_index=True,
    )
    both["year"] = year_of(both["action_on"])
    for t in ACTION_TYPES:
        both[f"actions_{t}"] = (both["action_type"] == t).astype("int64")
    return (
        both.groupby(["jurisdiction_code", "year"])
        .agg(
            regulatory_actions=("action_type", "size"),
            **{f"actions_{t}": (f"actions_{t}", "sum") for t in ACTION_TYPES},
        )
        .reset_index()
    )


# ---------------------------------------------------------------- the mart


def agg_jurisdiction_year_metrics(data_dir: Path, decisions: Path) -> pd.DataFrame:
    jurisdictions = seed("jurisdictions")
    facts = pd.concat(
        [breach_facts(data_dir, decisions), penalty_facts(data_dir), action_facts(data_dir)],
        ignore_index=True,
    )
    measures = list(MEASURES)
    measures += [f"actions_{t}" for t in ACTION_TYPES]
    for m in measures:
        facts[m] = facts[m].fillna(0).astype("int64")

    links = hierarchy(jurisdictions)
    joined = facts.merge(links, on="jurisdiction_code")
    in_years = (
        joined["member_from_year"].isna() | (joined["year"] >= joined["member_from_year"])
    ) & (joined["member_to_year"].isna() | (joined["year"] <= joined["member_to_year"]))
    rolled = (
        joined[in_years.fillna(False).astype(bool)]
        .groupby(["rollup_code", "year"])
        .agg(
            **{m: (m, "sum") for m in measures}, largest_penalty_usd=("largest_penalty_usd", "max")
        )
        .reset_index()
        .rename(columns={"rollup_code": "jurisdiction_code"})
    )

    grid = jurisdictions[["jurisdiction_code", "jurisdiction_name", "jurisdiction_level"]].merge(
        pd.DataFrame({"year": list(YEARS)}), how="cross"
    )
    grid = grid.merge(populations(jurisdictions, links), on=["jurisdiction_code", "year"])
    grid["year"] = grid["year"].astype("Int64")
    rolled["year"] = rolled["year"].astype("Int64")
    mart = grid.merge(rolled, on=["jurisdiction_code", "year"], how="left")
    for m in measures:
        mart[m] = mart[m].fillna(0).astype("int64")
    mart["population"] = mart["population"].astype("Int64")
    money = {"penalties_usd", "penalties_eur", "penalties_usd_constant"}
    population = mart["population"].astype("float64")
    for m in MEASURES:
        value = mart[m].astype("float64") / (100 if m in money else 1)
        mart[f"{m}_per_million"] = (value * 1000000 / population).where(population > 0)
    mart = mart.sort_values(["jurisdiction_code", "year"], kind="stable")
    for m in [
        "breaches",
        "records_exposed",
        "penalties",
        "regulatory_actions",
        "penalties_usd",
        "penalties_eur",
        "penalties_usd_constant",
    ]:
        mart[f"cumulative_{m}"] = mart.groupby("jurisdiction_code")[m].cumsum()
    return mart.reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--decisions", type=Path, required=True, help="breach_source_matches")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    mart = agg_jurisdiction_year_metrics(args.data_dir, args.decisions)
    mart.to_parquet(args.out, index=False)
    print(f"{len(mart)} rows")


if __name__ == "__main__":
    main()
