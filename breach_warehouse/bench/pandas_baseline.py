"""The benchmark's peer: agg_jurisdiction_year_metrics as an analyst would write it in pandas.

The same definition as ``models/marts/dashboard/agg_jurisdiction_year_metrics.sql`` from the same inputs
(the raw Parquet under ``<data_dir>/raw`` and the seed CSVs): the current version of every
ingested record, seed facts beside them, superseded penalties and alleged or excluded
breaches left out, money converted at the decision year's annual rate (``fx_rates.csv``)
and to constant dollars of the CPI-U base year (``cpi_u_annual.csv``), facts rolled up
along the jurisdiction hierarchy (parents and EU membership years), a jurisdiction x year
grid with zeros, the population of each year (``population_by_year.csv``: published, the
next year carried forward, static subdivisions, sums of complete member countries),
per-million and cumulative figures.

What it leaves out, as a notebook would: cross-source breach matching (every ingested
breach is its own anchor) and decision-day FX rates from ingested ECB files. The benchmark's
synthetic data has neither (one source, no ``fx_rates`` loads), so the results must agree.

Run as a script it writes the mart to Parquet and prints its row count:

    python breach_warehouse/bench/pandas_baseline.py --data-dir DIR --out FILE.parquet
"""

from __future__ import annotations

import argparse
import glob
from pathlib import Path

import numpy as np
import pandas as pd

from groundwork.paths import SEEDS_DIR as SEEDS
from groundwork.paths import project_vars

VARS = project_vars()
ACTION_TYPES: list[str] = list(VARS["regulatory_action_types"])
YEARS = range(int(VARS["first_year"]), int(VARS["last_year"]) + 1)
GROUP_LEVELS = ("region", "world", "supranational")
MEASURES = (
    "breaches",
    "records_exposed",
    "penalties",
    "penalties_usd",
    "penalties_eur",
    "penalties_usd_constant",
    "regulatory_actions",
)


def raw(data_dir: Path, table: str, columns: list[str]) -> pd.DataFrame:
    files = sorted(glob.glob(str(data_dir / "raw" / "*" / table / "*.parquet")))
    frames = [pd.read_parquet(f, columns=columns) for f in files]
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def current(frame: pd.DataFrame) -> pd.DataFrame:
    """The latest version of each (source_name, source_record_id)."""
    ordered = frame.sort_values(["loaded_at", "load_id"], ascending=False, kind="stable")
    return ordered.drop_duplicates(["source_name", "source_record_id"], keep="first")


def seed(name: str, **kwargs: object) -> pd.DataFrame:
    """A seed CSV; only empty cells are missing ('NA' is Namibia)."""
    return pd.read_csv(SEEDS / f"{name}.csv", keep_default_na=False, na_values=[""], **kwargs)


def year_of(dates: pd.Series) -> pd.Series:
    return pd.to_datetime(dates).dt.year.astype("Int64")


# ---------------------------------------------------------------- facts


def breach_facts(data_dir: Path) -> pd.DataFrame:
    cols = ["source_name", "source_record_id", "load_id", "loaded_at"]
    b = current(
        raw(
            data_dir,
            "breaches",
            [*cols, "jurisdiction_code", "reported_on", "records_exposed", "exclusion_reason"],
        )
    )
    children = raw(
        data_dir, "breach_records", ["source_name", "load_id", "breach_source_record_id", "records"]
    )
    children = children[children["records"].notna()]
    largest = (
        children.groupby(["source_name", "breach_source_record_id", "load_id"])["records"]
        .max()
        .rename("largest")
        .reset_index()
        .rename(columns={"breach_source_record_id": "source_record_id"})
    )
    b = b.merge(largest, on=["source_name", "source_record_id", "load_id"], how="left")
    b["records"] = b["records_exposed"].astype("Float64").fillna(b["largest"].astype("Float64"))
    b = b[b["exclusion_reason"].isna()]

    s = seed("breaches", dtype={"records_exposed": "Int64"})
    s_children = seed("breach_records").groupby("breach_id")["records"].max().rename("largest")
    s = s.merge(s_children, left_on="breach_id", right_index=True, how="left")
    s["records"] = s["records_exposed"].astype("Float64").fillna(s["largest"].astype("Float64"))
    s = s[~s["is_alleged"].astype(str).str.lower().eq("true")]

    both = pd.concat(
        [
            b[["jurisdiction_code", "reported_on", "records"]],
            s[["jurisdiction_code", "reported_on", "records"]],
        ],
        ignore_index=True,
    )
    both["year"] = year_of(both["reported_on"])
    both["records"] = both["records"].fillna(0).astype("int64")
    return (
        both.groupby(["jurisdiction_code", "year"])
        .agg(breaches=("records", "size"), records_exposed=("records", "sum"))
        .reset_index()
    )


def to_base_year_factors() -> pd.DataFrame:
    """CPI-U of the base year over that of each year (base: the var, else the latest year
    of twelve months)."""
    cpi = seed("cpi_u_annual")
    base = VARS.get("constant_usd_base_year")
    if base is None:
        base = cpi.loc[cpi["cpi_basis"] == "annual_average", "year"].max()
    base_cpi = float(cpi.loc[cpi["year"] == int(base), "cpi_u"].iloc[0])
    return pd.DataFrame({"year": cpi["year"], "factor": base_cpi / cpi["cpi_u"].astype(float)})


def whole_cents(scaled: pd.Series) -> pd.Series:
    """Round x * 100 half away from zero (as DuckDB's round(x, 0); numpy's goes to even)."""
    values = scaled.to_numpy(dtype="float64")
    return pd.Series(np.trunc(values + np.copysign(0.5, values)), index=scaled.index).astype(
        "Int64"
    )


def penalty_facts(data_dir: Path) -> pd.DataFrame:
    if len(raw(data_dir, "fx_rates", ["currency"])):
        raise ValueError("the pandas baseline converts at annual rates only: no ingested fx_rates")
    cols = ["source_name", "source_record_id", "load_id", "loaded_at"]
    p = current(
        raw(
            data_dir,
            "penalties",
            [*cols, "jurisdiction_code", "announced_on", "amount", "currency"],
        )
    )
    p = p[["jurisdiction_code", "announced_on", "amount", "currency"]].copy()
    p["amount"] = p["amount"].astype("float64")

    s = seed("penalties")
    s = s[~s["penalty_id"].isin(set(s["supersedes_penalty_id"].dropna()))]
    s = s[["jurisdiction_code", "announced_on", "amount", "currency"]].copy()

    both = pd.concat([p, s], ignore_index=True)
    both["currency"] = both["currency"].str.upper()
    both["year"] = year_of(both["announced_on"])
    fx = seed("fx_rates")[["currency", "year", "rate_to_usd", "rate_to_eur"]]
    both = both.merge(fx, on=["currency", "year"], how="left")
    amount = both["amount"].astype("float64")
    # Money in whole cents: the amount times the rate, rounded to the cent half away from zero.
    for target in ("usd", "eur"):
        both[f"cents_{target}"] = whole_cents(amount * both[f"rate_to_{target}"] * 100)
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
    cols = ["source_name", "source_record_id", "load_id", "loaded_at"]
    r = current(
        raw(
            data_dir, "regulatory_actions", [*cols, "jurisdiction_code", "action_on", "action_type"]
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


# ---------------------------------------------------------------- hierarchy and mart


def hierarchy(jurisdictions: pd.DataFrame) -> pd.DataFrame:
    """Each jurisdiction with itself, its ancestors (up to 3 levels) and its groups."""
    parent = jurisdictions.set_index("jurisdiction_code")["parent_code"]
    rows = []
    for code in jurisdictions["jurisdiction_code"]:
        current_code, distance = code, 0
        while isinstance(current_code, str) and distance <= 3:
            rows.append((code, current_code))
            current_code = parent.get(current_code)
            distance += 1
    ancestors = pd.DataFrame(rows, columns=["jurisdiction_code", "rollup_code"])
    ancestors["member_from_year"] = pd.NA
    ancestors["member_to_year"] = pd.NA
    memberships = seed("jurisdiction_memberships")
    groups = ancestors[["jurisdiction_code", "rollup_code"]].merge(
        memberships, left_on="rollup_code", right_on="member_code"
    )
    groups = groups[
        ["jurisdiction_code", "group_code", "member_from_year", "member_to_year"]
    ].rename(columns={"group_code": "rollup_code"})
    known = set(jurisdictions["jurisdiction_code"])
    out = pd.concat([ancestors, groups], ignore_index=True)
    out = out[out["rollup_code"].isin(known)]
    out["member_from_year"] = pd.to_numeric(out["member_from_year"]).astype("Int64")
    out["member_to_year"] = pd.to_numeric(out["member_to_year"]).astype("Int64")
    return out


def populations(jurisdictions: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Population, basis, year described and source per jurisdiction and year."""
    grid = jurisdictions[["jurisdiction_code", "jurisdiction_level"]].merge(
        pd.DataFrame({"year": list(YEARS)}), how="cross"
    )
    published = seed("population_by_year").rename(columns={"source_id": "population_source_id"})
    published["population_year"] = published["year"]
    published["population_basis"] = "published"
    carried = published.loc[published.groupby("jurisdiction_code")["year"].idxmax()].copy()
    carried["year"] += 1
    carried["population_basis"] = "carried_forward"
    own = pd.concat([published, carried], ignore_index=True)
    out = grid.merge(own, on=["jurisdiction_code", "year"], how="left")

    series = set(published["jurisdiction_code"])
    static = jurisdictions[
        (jurisdictions["jurisdiction_level"] == "subdivision")
        & jurisdictions["population"].notna()
        & ~jurisdictions["jurisdiction_code"].isin(series)
    ].set_index("jurisdiction_code")
    is_static = out["population"].isna() & out["jurisdiction_code"].isin(static.index)
    codes = out.loc[is_static, "jurisdiction_code"]
    out.loc[is_static, "population"] = codes.map(static["population"]).to_numpy()
    out.loc[is_static, "population_source_id"] = codes.map(
        static["population_source_id"]
    ).to_numpy()
    out.loc[is_static, "population_basis"] = "static"

    level = jurisdictions.set_index("jurisdiction_code")["jurisdiction_level"]
    members = links[
        links["jurisdiction_code"].isin(series)
        & links["jurisdiction_code"].map(level).eq("country")
        & links["rollup_code"].map(level).isin(GROUP_LEVELS)
    ].merge(pd.DataFrame({"year": list(YEARS)}), how="cross")
    members = members[
        (members["member_from_year"].isna() | (members["member_from_year"] <= members["year"]))
        & (members["member_to_year"].isna() | (members["member_to_year"] >= members["year"]))
    ].merge(own, on=["jurisdiction_code", "year"], how="left")
    sums = (
        members.groupby(["rollup_code", "year"])
        .agg(
            members=("jurisdiction_code", "size"),
            known=("population", "count"),
            total=("population", "sum"),
            first_year=("population_year", "min"),
            sources=("population_source_id", "nunique"),
            source=("population_source_id", "first"),
        )
        .reset_index()
    )
    sums = sums[sums["members"] == sums["known"]].rename(
        columns={"rollup_code": "jurisdiction_code"}
    )
    out = out.merge(sums, on=["jurisdiction_code", "year"], how="left")
    is_sum = out["population"].isna() & out["total"].notna()
    out.loc[is_sum, "population"] = out.loc[is_sum, "total"]
    out.loc[is_sum, "population_year"] = out.loc[is_sum, "first_year"]
    out.loc[is_sum, "population_source_id"] = out.loc[is_sum, "source"].where(
        out.loc[is_sum, "sources"] == 1
    )
    out.loc[is_sum, "population_basis"] = "sum_of_members"
    out["population_basis"] = out["population_basis"].fillna("missing")
    out["population"] = out["population"].astype("Int64")
    out["population_year"] = out["population_year"].astype("Int64")
    columns = ["population", "population_basis", "population_year", "population_source_id"]
    return out[["jurisdiction_code", "year", *columns]]


def agg_jurisdiction_year_metrics(data_dir: Path) -> pd.DataFrame:
    jurisdictions = seed("jurisdictions")
    facts = pd.concat(
        [breach_facts(data_dir), penalty_facts(data_dir), action_facts(data_dir)], ignore_index=True
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
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    mart = agg_jurisdiction_year_metrics(args.data_dir)
    mart.to_parquet(args.out, index=False)
    print(f"{len(mart)} rows")


if __name__ == "__main__":
    main()
