"""The seed-only part of the pandas peer: the jurisdiction hierarchy (ancestors and group
memberships) and the population of every jurisdiction and year, as
dim_jurisdiction_hierarchy and dim_jurisdiction_populations define them."""

from __future__ import annotations

import pandas as pd

from breach_warehouse.bench.pandas_io import YEARS, seed

GROUP_LEVELS = ("region", "world", "supranational")


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
