"""What the pandas peer reads: the raw Parquet (current versions), the seed CSVs and the
project's vars; whole cents rounded as the warehouse rounds them."""

from __future__ import annotations

import glob
from pathlib import Path

import numpy as np
import pandas as pd

from groundwork.paths import SEEDS_DIR as SEEDS
from groundwork.paths import project_vars

VARS = project_vars()
ACTION_TYPES: list[str] = list(VARS["regulatory_action_types"])
YEARS = range(int(VARS["first_year"]), int(VARS["last_year"]) + 1)
FX_DAYS_BACK = int(VARS["fx_max_days_back"])
VERSION = ["source_name", "source_record_id", "load_id", "loaded_at", "as_of"]


def raw(data_dir: Path, table: str, columns: list[str]) -> pd.DataFrame:
    files = sorted(glob.glob(str(data_dir / "raw" / "*" / table / "*.parquet")))
    frames = [pd.read_parquet(f, columns=columns) for f in files]
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def current(frame: pd.DataFrame, key: tuple[str, ...] = ("source_name", "source_record_id")):
    """The latest version of each record: latest snapshot (as_of), then latest loaded."""
    ordered = frame.sort_values(["as_of", "loaded_at", "load_id"], ascending=False, kind="stable")
    return ordered.drop_duplicates(list(key), keep="first")


def seed(name: str, **kwargs: object) -> pd.DataFrame:
    """A seed CSV; only empty cells are missing ('NA' is Namibia)."""
    return pd.read_csv(SEEDS / f"{name}.csv", keep_default_na=False, na_values=[""], **kwargs)


def year_of(dates: pd.Series) -> pd.Series:
    return pd.to_datetime(dates).dt.year.astype("Int64")


def whole_cents(scaled: pd.Series) -> pd.Series:
    """Round x * 100 half away from zero (as DuckDB's round(x, 0); numpy's goes to even)."""
    values = scaled.to_numpy(dtype="float64")
    return pd.Series(np.trunc(values + np.copysign(0.5, values)), index=scaled.index).astype(
        "Int64"
    )
