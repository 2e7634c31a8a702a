"""The synthetic data's shapes: the reference weights (jurisdictions, types, kinds), the
distributions of dates, counts and amounts, and the organization names."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl
import yaml

from groundwork.paths import PROJECT_DIR, SEEDS_DIR
from ingest.reference import normalize_org_name

SOURCE = "synthetic"
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2026, 10, 31)  # fixed, so a seed always gives the same data
BASE_LOADED_AT = dt.datetime(2026, 11, 1, 0, 0, 0)
EPOCH = dt.date(1970, 1, 1)
AMENDED_SHARE = 0.05

# Raw breach types and data classes as the synthetic source spells them (mapped by seeds).
BREACH_TYPES = {
    "hacking": 30,
    "ransomware": 14,
    "phishing": 10,
    "malware": 6,
    "unauthorized access": 12,
    "insider misuse": 4,
    "theft": 6,
    "loss": 3,
    "improper disposal": 2,
    "accidental exposure": 8,
    "unknown": 5,
}
DATA_TYPES = {
    "email": 25,
    "name": 10,
    "password": 12,
    "ssn": 8,
    "health": 12,
    "financial": 7,
    "card": 6,
    "national id": 4,
    "ip": 4,
    "other": 12,
}
PENALTY_KINDS = {"fine": 80, "civil_penalty": 8, "settlement": 8, "resolution_agreement": 4}
ACTION_STATUSES = {
    "adopted": 25,
    "in_force": 20,
    "announced": 15,
    "draft": 10,
    "consultation": 8,
    "ongoing": 8,
    "completed": 8,
    "signed": 3,
    "withdrawn": 3,
}
LEGAL_SUFFIXES = ["Inc", "Ltd", "LLC", "GmbH", "SA", "plc", "Corp", "BV"]

Progress = Callable[[str], None]


# ---------------------------------------------------------------- reference weights


@dataclass(frozen=True)
class Choice:
    """Values and their probabilities, for a weighted draw."""

    values: list[str]
    probs: np.ndarray

    @classmethod
    def of(cls, weights: dict[str, float]) -> Choice:
        total = float(sum(weights.values()))
        return cls(list(weights), np.array([w / total for w in weights.values()]))

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        idx = rng.choice(len(self.values), size=n, p=self.probs)
        return np.asarray(self.values, dtype=object)[idx]


def _mix(parts: list[tuple[float, dict[str, float]]]) -> Choice:
    """A weighted mixture of weighted groups (each group's weights normalized)."""
    out: dict[str, float] = {}
    for share, group in parts:
        total = sum(group.values())
        for code, w in group.items():
            out[code] = out.get(code, 0.0) + share * w / total
    return Choice.of(out)


@dataclass(frozen=True)
class Geography:
    breaches: Choice
    penalties: Choice
    actions: Choice
    eu_members: frozenset[str]


def load_geography() -> Geography:
    """Jurisdiction weights built from seeds/jurisdictions.csv (codes that exist there)."""
    j = pl.read_csv(SEEDS_DIR / "jurisdictions.csv", infer_schema_length=0)
    m = pl.read_csv(SEEDS_DIR / "jurisdiction_memberships.csv", infer_schema_length=0)
    pop = {
        r["jurisdiction_code"]: float(r["population"] or 1)
        for r in j.iter_rows(named=True)
        if r["jurisdiction_level"] in ("country", "subdivision")
    }
    level = dict(zip(j["jurisdiction_code"], j["jurisdiction_level"], strict=True))
    parent = dict(zip(j["jurisdiction_code"], j["parent_code"], strict=True))
    # Sorted: a set's order changes with each process's string hashing.
    eu = sorted(
        {
            r["member_code"]
            for r in m.iter_rows(named=True)
            if r["group_code"] == "EU" and not r["member_to_year"] and r["member_code"] in pop
        }
    )
    us_states = {c: pop[c] for c in pop if level[c] == "subdivision" and parent[c] == "US"}
    cn_provinces = {c: pop[c] for c in pop if level[c] == "subdivision" and parent[c] == "CN"}
    eu_countries = {c: pop[c] for c in eu}
    big = {"US", "GB", "CN", *eu}
    others = {
        c: math.sqrt(pop[c]) for c in pop if level[c] == "country" and c not in big and pop[c] > 0
    }
    return Geography(
        breaches=_mix(
            [
                (0.42, us_states),
                (0.12, {"US": 1}),
                (0.08, {"GB": 1}),
                (0.14, eu_countries),
                (0.02, {"CN": 1}),
                (0.02, cn_provinces),
                (0.20, others),
            ]
        ),
        penalties=_mix(
            [
                (0.52, eu_countries),
                (0.12, {"GB": 1}),
                (0.10, {"US": 1}),
                (0.12, us_states),
                (0.04, {"CN": 1}),
                (0.10, others),
            ]
        ),
        actions=_mix(
            [
                (0.25, us_states),
                (0.15, {"US": 1}),
                (0.08, {"GB": 1}),
                (0.05, {"EU": 1}) if "EU" in level else (0.0, {"US": 1}),
                (0.20, eu_countries),
                (0.07, {"CN": 1}),
                (0.20, others),
            ]
        ),
        eu_members=frozenset(eu),
    )


def action_types() -> list[str]:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    return list(project["vars"]["regulatory_action_types"])


# ---------------------------------------------------------------- distributions


def event_days(
    rng: np.random.Generator, n: int, growth: float, from_year: int = 2000
) -> np.ndarray:
    """Days since 1970 between FIRST_DAY (or from_year) and LAST_DAY, more in recent years."""
    years = np.arange(from_year, LAST_DAY.year + 1)
    weights = np.exp(growth * (years - from_year)).astype(float)
    weights[-1] *= (LAST_DAY.timetuple().tm_yday) / 365.0
    year = rng.choice(years, size=n, p=weights / weights.sum())
    start = np.array([(dt.date(int(y), 1, 1) - EPOCH).days for y in years])
    length = np.array(
        [
            (
                (LAST_DAY if y == LAST_DAY.year else dt.date(int(y), 12, 31))
                - dt.date(int(y), 1, 1)
            ).days
            + 1
            for y in years
        ]
    )
    k = year - from_year
    return start[k] + (rng.random(n) * length[k]).astype(np.int64)


def truncate_days(days: np.ndarray, precision: np.ndarray) -> np.ndarray:
    """The first day of the period a date's precision names (month, quarter, year)."""
    d = days.astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    year = d.astype("datetime64[Y]")
    m = (month - year).astype(np.int64)
    quarter = year.astype("datetime64[M]") + (m // 3) * 3
    out = np.where(precision == "month", month.astype("datetime64[D]"), d)
    out = np.where(precision == "quarter", quarter.astype("datetime64[D]"), out)
    out = np.where(precision == "year", year.astype("datetime64[D]"), out)
    return (out - np.datetime64("1970-01-01", "D")).astype(np.int64)


def lognormal_int(
    rng: np.random.Generator, n: int, mu: float, sigma: float, cap: float
) -> np.ndarray:
    return np.minimum(np.ceil(rng.lognormal(mu, sigma, n)), cap).astype(np.int64)


def with_nulls(values: np.ndarray, rng: np.random.Generator, share: float) -> list[object]:
    mask = rng.random(len(values)) < share
    out = values.astype(object)
    out[mask] = None
    return out.tolist()


def with_nulls_mask(values: np.ndarray, mask: np.ndarray) -> pl.Series:
    return pl.select(pl.when(pl.Series(mask)).then(None).otherwise(pl.Series(values))).to_series()


def date_series(name: str, days: np.ndarray, null_mask: np.ndarray | None = None) -> pl.Series:
    s = pl.Series(name, days.astype(np.int32)).cast(pl.Date)
    if null_mask is not None:
        s = pl.select(pl.when(pl.Series(null_mask)).then(None).otherwise(s).alias(name)).to_series()
    return s


ORG_NAME = "Synthetic Org {} {}"
ORG_NUMBER_PLACEHOLDER = "0000000"  # seven digits, as every organization's number


def org_name(index: pl.Expr) -> pl.Expr:
    suffix = pl.lit(pl.Series(LEGAL_SUFFIXES)).gather(index % len(LEGAL_SUFFIXES))
    return pl.format(ORG_NAME, index.cast(pl.String).str.zfill(7), suffix)


@cache
def _org_key_templates() -> tuple[str, ...]:
    """The key of one name per legal suffix, with the placeholder number in it."""
    keys = tuple(
        normalize_org_name(ORG_NAME.format(ORG_NUMBER_PLACEHOLDER, suffix)) or ""
        for suffix in LEGAL_SUFFIXES
    )
    if not all(key.count(ORG_NUMBER_PLACEHOLDER) == 1 for key in keys):
        raise ValueError(f"the organization keys lost their numbers: {keys}")
    return keys


def org_key(index: pl.Expr) -> pl.Expr:
    """What ``ingest.reference.normalize_org_name`` makes of ``org_name(index)``: the
    function keys one name per legal suffix, and each organization's number (digits,
    which the normalization keeps) takes the placeholder's place, so millions of rows
    need eight calls."""
    template = pl.lit(pl.Series(_org_key_templates())).gather(index % len(LEGAL_SUFFIXES))
    number = index.cast(pl.String).str.zfill(7)
    return template.str.replace(ORG_NUMBER_PLACEHOLDER, number, literal=True)
