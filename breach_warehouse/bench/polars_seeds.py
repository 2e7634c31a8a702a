"""The seed-only part of the polars peer: the seed CSVs, the jurisdiction hierarchy
(ancestors and group memberships) and the population of every jurisdiction and year, as
dim_jurisdiction_hierarchy and dim_jurisdiction_populations define them."""

from __future__ import annotations

import polars as pl

from groundwork.paths import SEEDS_DIR, project_vars

VARS = project_vars()
YEARS = pl.DataFrame(
    {"year": range(int(VARS["first_year"]), int(VARS["last_year"]) + 1)}, schema={"year": pl.Int32}
)
GROUP_LEVELS = ("region", "world", "supranational")


def seed(name: str, **kwargs: object) -> pl.DataFrame:
    """A seed CSV; only empty cells are missing ('NA' is Namibia)."""
    return pl.read_csv(SEEDS_DIR / f"{name}.csv", null_values=[""], **kwargs)


def hierarchy(jurisdictions: pl.DataFrame) -> pl.DataFrame:
    """Each jurisdiction with itself, its ancestors (up to 3 levels) and its groups."""
    parents = jurisdictions.select("jurisdiction_code", "parent_code")
    step = jurisdictions.select(
        "jurisdiction_code", pl.col("jurisdiction_code").alias("rollup_code")
    )
    levels = [step]
    for _ in range(3):
        step = (
            step.join(parents, left_on="rollup_code", right_on="jurisdiction_code")
            .select("jurisdiction_code", pl.col("parent_code").alias("rollup_code"))
            .drop_nulls()
        )
        levels.append(step)
    ancestors = pl.concat(levels).with_columns(
        pl.lit(None, pl.Int32).alias("member_from_year"),
        pl.lit(None, pl.Int32).alias("member_to_year"),
    )
    memberships = seed("jurisdiction_memberships", infer_schema_length=10_000)
    groups = ancestors.select("jurisdiction_code", "rollup_code").join(
        memberships, left_on="rollup_code", right_on="member_code"
    )
    groups = groups.select(
        "jurisdiction_code",
        pl.col("group_code").alias("rollup_code"),
        pl.col("member_from_year").cast(pl.Int32),
        pl.col("member_to_year").cast(pl.Int32),
    )
    known = jurisdictions["jurisdiction_code"]
    return pl.concat([ancestors, groups]).filter(pl.col("rollup_code").is_in(known.implode()))


def populations(jurisdictions: pl.DataFrame, links: pl.DataFrame) -> pl.DataFrame:
    """Population, basis, year described and source per jurisdiction and year."""
    grid = jurisdictions.select("jurisdiction_code", "jurisdiction_level").join(YEARS, how="cross")
    published = seed("population_by_year").select(
        "jurisdiction_code",
        pl.col("year").cast(pl.Int32),
        pl.col("population").cast(pl.Int64),
        pl.col("source_id").alias("population_source_id"),
        pl.col("year").cast(pl.Int32).alias("population_year"),
        pl.lit("published").alias("population_basis"),
    )
    carried = (
        published.sort("year")
        .group_by("jurisdiction_code")
        .last()
        .with_columns(pl.col("year") + 1, pl.lit("carried_forward").alias("population_basis"))
        .select(published.columns)
    )
    own = pl.concat([published, carried])
    out = grid.join(own, on=["jurisdiction_code", "year"], how="left")

    series = published["jurisdiction_code"].unique().implode()
    static = jurisdictions.filter(
        (pl.col("jurisdiction_level") == "subdivision")
        & pl.col("population").is_not_null()
        & ~pl.col("jurisdiction_code").is_in(series)
    ).select(
        "jurisdiction_code",
        pl.col("population").cast(pl.Int64).alias("static_population"),
        pl.col("population_source_id").alias("static_source"),
    )
    out = out.join(static, on="jurisdiction_code", how="left")
    is_static = pl.col("population").is_null() & pl.col("static_population").is_not_null()
    out = out.with_columns(
        pl.when(is_static)
        .then(pl.col("static_population"))
        .otherwise("population")
        .alias("population"),
        pl.when(is_static)
        .then(pl.col("static_source"))
        .otherwise("population_source_id")
        .alias("population_source_id"),
        pl.when(is_static)
        .then(pl.lit("static"))
        .otherwise("population_basis")
        .alias("population_basis"),
    )

    level = jurisdictions.select("jurisdiction_code", "jurisdiction_level")
    members = (
        links.filter(pl.col("jurisdiction_code").is_in(series))
        .join(level, on="jurisdiction_code")
        .join(
            level.rename({"jurisdiction_code": "rollup_code", "jurisdiction_level": "up"}),
            on="rollup_code",
        )
        .filter((pl.col("jurisdiction_level") == "country") & pl.col("up").is_in(GROUP_LEVELS))
        .select("jurisdiction_code", "rollup_code", "member_from_year", "member_to_year")
        .join(YEARS, how="cross")
        .filter(
            (pl.col("member_from_year").is_null() | (pl.col("member_from_year") <= pl.col("year")))
            & (pl.col("member_to_year").is_null() | (pl.col("member_to_year") >= pl.col("year")))
        )
        .join(own, on=["jurisdiction_code", "year"], how="left")
    )
    sums = (
        members.group_by("rollup_code", "year")
        .agg(
            pl.len().alias("members"),
            pl.col("population").count().alias("known"),
            pl.col("population").sum().alias("total"),
            pl.col("population_year").min().alias("first_year"),
            pl.col("population_source_id").drop_nulls().n_unique().alias("sources"),
            pl.col("population_source_id").drop_nulls().first().alias("source"),
        )
        .filter(pl.col("members") == pl.col("known"))
        .rename({"rollup_code": "jurisdiction_code"})
    )
    out = out.join(sums, on=["jurisdiction_code", "year"], how="left")
    is_sum = pl.col("population").is_null() & pl.col("total").is_not_null()
    out = out.with_columns(
        pl.when(is_sum).then(pl.col("total")).otherwise("population").alias("population"),
        pl.when(is_sum)
        .then(pl.col("first_year"))
        .otherwise("population_year")
        .alias("population_year"),
        pl.when(is_sum)
        .then(pl.when(pl.col("sources") == 1).then(pl.col("source")))
        .otherwise("population_source_id")
        .alias("population_source_id"),
        pl.when(is_sum)
        .then(pl.lit("sum_of_members"))
        .otherwise("population_basis")
        .alias("population_basis"),
    ).with_columns(pl.col("population_basis").fill_null("missing"))
    columns = ["population", "population_basis", "population_year", "population_source_id"]
    return out.select("jurisdiction_code", "year", *columns)
