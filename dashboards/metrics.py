"""The metrics the Compare page offers, each a column of jurisdiction_year_metrics."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Base:
    key: str
    label: str
    unit: str  # what one unit of the figure counts ("breaches", "USD", ...)
    singular: str
    money: bool = False


BASES: dict[str, Base] = {
    b.key: b
    for b in (
        Base("breaches", "Breaches", "breaches", "breach"),
        Base("records_exposed", "Records exposed", "records", "record"),
        Base("penalties", "Penalties (count)", "penalties", "penalty"),
        Base("penalties_usd", "Penalties in USD", "USD", "USD", money=True),
        Base("penalties_eur", "Penalties in EUR", "EUR", "EUR", money=True),
        Base("regulatory_actions", "Regulatory actions", "actions", "action"),
    )
}

MODES: dict[str, str] = {
    "total": "per year",
    "per_million": "per million inhabitants",
    "cumulative": "cumulative since 2000",
}


@dataclass(frozen=True)
class Metric:
    base: Base
    mode: str

    @property
    def column(self) -> str:
        if self.mode == "per_million":
            return f"{self.base.key}_per_million"
        if self.mode == "cumulative":
            return f"cumulative_{self.base.key}"
        return self.base.key

    @property
    def label(self) -> str:
        """Chart title part, e.g. 'Penalties in USD per million inhabitants'."""
        return f"{self.base.label} {MODES[self.mode]}"

    def period_label(self, last_year: int) -> str:
        """Label of the figure over a whole period: the sum of the years, or for a
        cumulative metric its value in the last year."""
        if self.mode == "cumulative":
            return f"{self.base.label}, cumulative to {last_year}"
        if self.mode == "per_million":
            return f"{self.base.label} per million inhabitants"
        return self.base.label

    @property
    def unit(self) -> str:
        """Axis unit, e.g. 'USD per million inhabitants'."""
        if self.mode == "per_million":
            return f"{self.base.unit} per million inhabitants"
        return self.base.unit

    @property
    def decimals(self) -> int:
        if self.mode == "per_million":
            return 4
        return 2 if self.base.money else 0

    def format(self, value: float | None) -> str:
        """The exact figure with its unit, as hover text shows it."""
        if value is None:
            return "no data"
        if self.base.money and self.mode != "per_million":
            return f"{value:,.2f} {self.base.unit}"
        unit = self.unit
        if value == 1 and self.mode != "per_million":
            unit = self.base.singular
        return f"{value:,.{self.decimals}f} {unit}"


def metric(base: str, mode: str) -> Metric:
    """The metric for a base key and a mode; unknown values fall back to the defaults."""
    return Metric(BASES.get(base, BASES["regulatory_actions"]), mode if mode in MODES else "total")


# Every metric column the Compare page may read (a fixed list: no SQL from user input).
METRIC_COLUMNS: tuple[str, ...] = tuple(Metric(b, m).column for b in BASES.values() for m in MODES)
