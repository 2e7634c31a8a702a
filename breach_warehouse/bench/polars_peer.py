"""The benchmark's polars peer: agg_jurisdiction_year_metrics in lazy polars, the fastest
single-process alternative a user could pick. The same inputs and semantics as the pandas
peer (``pandas_baseline.py``, whose docstring states them) and the warehouse's model:
the raw Parquet scanned lazily, the seed CSVs, the linkage's decisions as an input table.

    python -m breach_warehouse.bench.polars_peer --data-dir DIR --decisions FILE --out FILE
"""

from __future__ import annotations

import argparse
from pathlib import Path

import polars as pl

from breach_warehouse.bench.polars_seeds import VARS, YEARS, hierarchy, populations, seed

ACTION_TYPES: list[str] = list(VARS["regulatory_action_types"])
FX_DAYS_BACK = int(VARS["fx_max_days_back"])
MONEY = ("penalties_usd", "penalties_eur", "penalties_usd_constant")
MEASURES = ("breaches", "records_exposed", "penalties", *MONEY, "regulatory_actions")
KEY = ["jurisdiction_code", "year"]


def raw(data_dir: Path, table: str) -> pl.LazyFrame:
    return pl.scan_parquet(data_dir / "raw" / "*" / table / "*.parquet")


def current(frame: pl.LazyFrame, key: tuple[str, ...] = ("source_name", "source_record_id")):
    """The latest version of each record: latest snapshot (as_of), then latest loaded."""
    order = ["as_of", "loaded_at", "load_id"]
    return frame.sort(order, descending=True).unique(list(key), keep="first")


def cents(amount: pl.Expr) -> pl.Expr:
    """x * 100 rounded half away from zero, as whole cents (DuckDB's round(x, 0))."""
    scaled = amount * 100
    return (scaled + pl.lit(0.5) * scaled.sign()).truncate().cast(pl.Int64)


def breach_facts(data_dir: Path, decisions: Path) -> pl.LazyFrame:
    cols = ["jurisdiction_code", "reported_on", "records_exposed", "exclusion_reason"]
    b = current(
        raw(data_dir, "breaches").select(
            "source_name", "source_record_id", "load_id", "loaded_at", "as_of", *cols
        )
    ).with_columns(pl.format("{}:{}", "source_name", "source_record_id").alias("breach_id"))
    matches = pl.scan_parquet(decisions).select("source_breach_id", "breach_id")
    s = pl.LazyFrame(seed("breaches", infer_schema_length=10_000)).select(
        "breach_id",
        "jurisdiction_code",
        pl.col("reported_on").str.to_date(),
        pl.col("records_exposed").cast(pl.Int64),
        pl.col("is_alleged").cast(pl.String).str.to_lowercase().eq("true").alias("is_alleged"),
    )
    rows = pl.concat(
        [b.select("breach_id", "records_exposed"), s.select("breach_id", "records_exposed")]
    )
    anchor = pl.coalesce("anchor_id", "breach_id").alias("breach_id")
    children = (
        raw(data_dir, "breach_records")
        .select("source_name", "load_id", "breach_source_record_id", "records")
        .filter(pl.col("records").is_not_null())
        .join(
            b.select("source_name", "source_record_id", "load_id", "breach_id"),
            left_on=["source_name", "breach_source_record_id", "load_id"],
            right_on=["source_name", "source_record_id", "load_id"],
        )
        .join(
            matches.rename({"breach_id": "anchor_id", "source_breach_id": "breach_id"}),
            on="breach_id",
            how="left",
        )
        .select(anchor, "records")
    )
    seed_children = pl.LazyFrame(seed("breach_records", infer_schema_length=10_000)).select(
        "breach_id", pl.col("records").cast(pl.Int64)
    )
    largest_type = (
        pl.concat([children, seed_children])
        .group_by("breach_id")
        .agg(pl.col("records").max().alias("largest_type"))
    )
    largest_matched = (
        matches.join(rows.rename({"breach_id": "source_breach_id"}), on="source_breach_id")
        .filter(pl.col("records_exposed").is_not_null())
        .group_by("breach_id")
        .agg(pl.col("records_exposed").max().alias("largest_matched"))
    )
    anchors = pl.concat(
        [
            b.join(matches, left_on="breach_id", right_on="source_breach_id", how="anti")
            .filter(pl.col("exclusion_reason").is_null())
            .select("breach_id", "jurisdiction_code", "reported_on", "records_exposed"),
            s.filter(~pl.col("is_alleged")).select(
                "breach_id", "jurisdiction_code", "reported_on", "records_exposed"
            ),
        ]
    )
    own = pl.col("records_exposed")
    return (
        anchors.join(largest_matched, on="breach_id", how="left")
        .join(largest_type, on="breach_id", how="left")
        .select(
            "jurisdiction_code",
            pl.col("reported_on").dt.year().alias("year"),
            pl.when(pl.col("largest_matched") > own.fill_null(-1))
            .then(pl.col("largest_matched"))
            .otherwise(pl.coalesce(own, "largest_type"))
            .fill_null(0)
            .alias("records"),
        )
        .group_by(KEY)
        .agg(pl.len().alias("breaches"), pl.col("records").sum().alias("records_exposed"))
    )


def daily_rates(data_dir: Path) -> pl.LazyFrame:
    """The ECB's daily rates: EUR and USD per unit of each currency on each quoted day."""
    fx = current(
        raw(data_dir, "fx_rates").with_columns(pl.col("currency").str.to_uppercase()),
        ("currency", "rate_date"),
    ).select("currency", "rate_date", "units_per_eur")
    usd = fx.filter(pl.col("currency") == "USD").select(
        "rate_date", pl.col("units_per_eur").alias("usd_per_eur")
    )
    eur = usd.select(
        pl.lit("EUR").alias("currency"), "rate_date", pl.lit(1.0).alias("units_per_eur")
    )
    return (
        pl.concat([fx.filter(pl.col("currency") != "EUR"), eur])
        .join(usd, on="rate_date")
        .select(
            "currency",
            "rate_date",
            (pl.col("usd_per_eur") / pl.col("units_per_eur")).alias("rate_to_usd"),
            (1.0 / pl.col("units_per_eur")).alias("rate_to_eur"),
        )
    )


def penalty_facts(data_dir: Path) -> pl.LazyFrame:
    cols = ["jurisdiction_code", "announced_on", "announced_precision", "amount", "currency"]
    p = current(
        raw(data_dir, "penalties").select(
            "source_name", "source_record_id", "load_id", "loaded_at", "as_of", *cols
        )
    ).select(
        "jurisdiction_code",
        "announced_on",
        pl.col("announced_precision").fill_null("unknown"),
        pl.col("amount").cast(pl.Float64),
        "currency",
    )
    s = seed("penalties", infer_schema_length=10_000)
    s = pl.LazyFrame(
        s.filter(~pl.col("penalty_id").is_in(s["supersedes_penalty_id"].drop_nulls().implode()))
    ).select(
        "jurisdiction_code",
        pl.col("announced_on").str.to_date(),
        "announced_precision",
        pl.col("amount").cast(pl.Float64),
        "currency",
    )
    both = (
        pl.concat([p, s])
        .with_columns(
            pl.col("currency").str.to_uppercase(),
            pl.col("announced_on").dt.year().alias("year"),
        )
        .filter(pl.col("year").is_not_null())
        .with_row_index("row")
    )
    # The decision day's rate, or the nearest earlier quoted day within the window.
    back = pl.LazyFrame({"days_back": range(FX_DAYS_BACK + 1)}, schema={"days_back": pl.Int32})
    on_day = (
        both.filter(pl.col("announced_precision") == "day")
        .select("row", "currency", "announced_on")
        .join(back, how="cross")
        .with_columns(
            (pl.col("announced_on") - pl.duration(days=pl.col("days_back"))).alias("rate_date")
        )
        .join(daily_rates(data_dir), on=["currency", "rate_date"])
        .sort("days_back")
        .group_by("row")
        .agg(
            pl.col("rate_to_usd").first().alias("day_usd"),
            pl.col("rate_to_eur").first().alias("day_eur"),
        )
    )
    annual = pl.LazyFrame(seed("fx_rates")).select(
        "currency", pl.col("year").cast(pl.Int32), "rate_to_usd", "rate_to_eur"
    )
    cpi = seed("cpi_u_annual")
    base = (
        VARS.get("constant_usd_base_year")
        or cpi.filter(pl.col("cpi_basis") == "annual_average")["year"].max()
    )
    base_cpi = float(cpi.filter(pl.col("year") == int(base))["cpi_u"][0])
    factors = pl.LazyFrame(
        cpi.select(
            pl.col("year").cast(pl.Int32),
            (base_cpi / pl.col("cpi_u").cast(pl.Float64)).alias("factor"),
        )
    )
    amount = pl.col("amount")
    return (
        both.join(on_day, on="row", how="left")
        .join(annual, on=["currency", "year"], how="left")
        .join(factors, on="year", how="left")
        .with_columns(
            cents(amount * pl.coalesce("day_usd", "rate_to_usd")).alias("usd"),
            cents(amount * pl.coalesce("day_eur", "rate_to_eur")).alias("eur"),
        )
        .with_columns(
            cents(pl.col("usd").cast(pl.Float64) / 100 * pl.col("factor")).alias("usd_constant")
        )
        .group_by(KEY)
        .agg(
            pl.len().alias("penalties"),
            pl.col("usd").sum().alias("penalties_usd"),
            pl.col("eur").sum().alias("penalties_eur"),
            pl.col("usd_constant").sum().alias("penalties_usd_constant"),
            pl.col("usd").max().alias("largest_penalty_usd"),
        )
    )


def action_facts(data_dir: Path) -> pl.LazyFrame:
    cols = ["jurisdiction_code", "action_on", "action_type"]
    r = current(
        raw(data_dir, "regulatory_actions").select(
            "source_name", "source_record_id", "load_id", "loaded_at", "as_of", *cols
        )
    ).select(cols)
    s = pl.LazyFrame(seed("regulatory_actions", infer_schema_length=10_000)).select(
        "jurisdiction_code", pl.col("action_on").str.to_date(), "action_type"
    )
    return (
        pl.concat([r, s])
        .with_columns(pl.col("action_on").dt.year().alias("year"))
        .group_by(KEY)
        .agg(
            pl.len().alias("regulatory_actions"),
            *[
                (pl.col("action_type") == t).sum().cast(pl.Int64).alias(f"actions_{t}")
                for t in ACTION_TYPES
            ],
        )
    )


def agg_jurisdiction_year_metrics(data_dir: Path, decisions: Path) -> pl.DataFrame:
    jurisdictions = seed("jurisdictions", infer_schema_length=10_000)
    measures = [*MEASURES, *(f"actions_{t}" for t in ACTION_TYPES)]
    facts = pl.concat(
        [
            breach_facts(data_dir, decisions),
            penalty_facts(data_dir),
            action_facts(data_dir),
        ],
        how="diagonal_relaxed",
    )
    links = hierarchy(jurisdictions)
    in_years = (
        pl.col("member_from_year").is_null() | (pl.col("year") >= pl.col("member_from_year"))
    ) & (pl.col("member_to_year").is_null() | (pl.col("year") <= pl.col("member_to_year")))
    rolled = (
        facts.with_columns(pl.col("year").cast(pl.Int32))
        .join(links.lazy(), on="jurisdiction_code")
        .filter(in_years)
        .group_by("rollup_code", "year")
        .agg(
            *[pl.col(m).fill_null(0).sum() for m in measures],
            pl.col("largest_penalty_usd").max(),
        )
        .rename({"rollup_code": "jurisdiction_code"})
        .collect()
    )
    grid = (
        jurisdictions.select("jurisdiction_code", "jurisdiction_name", "jurisdiction_level")
        .join(YEARS, how="cross")
        .join(populations(jurisdictions, links), on=KEY)
    )
    mart = (
        grid.join(rolled, on=KEY, how="left")
        .with_columns(pl.col(m).fill_null(0).cast(pl.Int64) for m in measures)
        .with_columns(
            pl.when(pl.col("population") > 0)
            .then(
                pl.col(m).cast(pl.Float64)
                / (100 if m in MONEY else 1)
                * 1_000_000
                / pl.col("population")
            )
            .alias(f"{m}_per_million")
            for m in MEASURES
        )
        .sort(KEY)
    )
    cumulative = ["breaches", "records_exposed", "penalties", "regulatory_actions", *MONEY]
    return mart.with_columns(
        pl.col(m).cum_sum().over("jurisdiction_code").alias(f"cumulative_{m}") for m in cumulative
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--decisions", type=Path, required=True, help="breach_source_matches")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    mart = agg_jurisdiction_year_metrics(args.data_dir, args.decisions)
    mart.write_parquet(args.out)
    print(f"{mart.height} rows")


if __name__ == "__main__":
    main()
