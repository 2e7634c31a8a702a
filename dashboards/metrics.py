"""The metrics the Compare page offers, each a column of agg_jurisdiction_year_metrics. Penalties
in USD can be nominal or in constant dollars of the CPI-U base year (``prices``)."""

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


# The base whose constant-price figures the marts hold (penalties_usd_constant, ...).
CONSTANT_BASE = "penalties_usd"


@dataclass(frozen=True)
class Metric:
    base: Base
    mode: str
    prices: str = "nominal"  # or "constant": USD in constant dollars of base_year
    base_year: int | None = None

    @property
    def constant(self) -> bool:
        return self.prices == "constant" and self.base.key == CONSTANT_BASE

    @property
    def key(self) -> str:
        return f"{self.base.key}_constant" if self.constant else self.base.key

    @property
    def column(self) -> str:
        if self.mode == "per_million":
            return f"{self.key}_per_million"
        if self.mode == "cumulative":
            return f"cumulative_{self.key}"
        return self.key

    @property
    def base_label(self) -> str:
        """'Penalties in constant 2024 USD (CPI-U)', 'Penalties in EUR (nominal)'."""
        if self.constant:
            return f"Penalties in constant {self.base_year} USD (CPI-U)"
        if self.prices == "constant" and self.base.money:
            return f"{self.base.label} (nominal)"
        return self.base.label

    @property
    def label(self) -> str:
        """Chart title part, e.g. 'Penalties in USD per million inhabitants'."""
        return f"{self.base_label} {MODES[self.mode]}"

    def period_label(self, last_year: int) -> str:
        """Label of the figure over a whole period: the sum of the years, or for a
        cumulative metric its value in the last year."""
        if self.mode == "cumulative":
            return f"{self.base_label}, cumulative to {last_year}"
        if self.mode == "per_million":
            return f"{self.base_label} per million inhabitants"
        return self.base_label

    @property
    def base_unit(self) -> str:
        return f"{self.base_year} USD" if self.constant else self.base.unit

    @property
    def unit(self) -> str:
        """Axis unit, e.g. 'USD per million inhabitants'."""
        if self.mode == "per_million":
            return f"{self.base_unit} per million inhabitants"
        return self.base_unit

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
            return f"{value:,.2f} {self.base_unit}"
        unit = self.unit
        if value == 1 and self.mode != "per_million":
            unit = self.base.singular
        return f"{value:,.{self.decimals}f} {unit}"


def metric(base: str, mode: str, prices: str = "nominal", base_year: int | None = None) -> Metric:
    """The metric for a base key, a mode and prices; unknown values fall back to the
    defaults, and constant prices without a known base year to nominal."""
    constant = prices == "constant" and base_year is not None
    return Metric(
        BASES.get(base, BASES["regulatory_actions"]),
        mode if mode in MODES else "total",
        "constant" if constant else "nominal",
        base_year if constant else None,
    )


# Every metric column the Compare page may read (a fixed list: no SQL from user input).
METRIC_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(
        Metric(b, m, p).column
        for b in BASES.values()
        for m in MODES
        for p in ("nominal", "constant")
    )
)
