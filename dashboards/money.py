"""Which money a chart shows: USD or EUR at the decision day's rate (nominal), or USD in
constant dollars of the CPI-U base year (dim_cpi_deflators). Constant prices exist for USD
only (CPI-U is a US index); EUR stays nominal whichever is chosen, and says so."""

from __future__ import annotations

from dataclasses import dataclass

PRICES: dict[str, str] = {"nominal": "Nominal", "constant": "Constant dollars (CPI-U)"}


@dataclass(frozen=True)
class Money:
    currency: str = "USD"
    constant: bool = False
    base_year: int | None = None

    @property
    def key(self) -> str:
        """What the data module's queries take: USD, EUR or USD_CONSTANT."""
        return "USD_CONSTANT" if self.constant else self.currency

    @property
    def column(self) -> str:
        """The amount column of fct_penalties and the marts built from it."""
        return "amount_usd_constant" if self.constant else f"amount_{self.currency.lower()}"

    @property
    def unit(self) -> str:
        """Axis and hover unit: 'USD', 'EUR', '2024 USD'."""
        return f"{self.base_year} USD" if self.constant else self.currency

    @property
    def label(self) -> str:
        """Title part: 'USD', 'constant 2024 USD, CPI-U'."""
        return f"constant {self.base_year} USD, CPI-U" if self.constant else self.currency


def money(currency: str, prices: str = "nominal", base_year: int | None = None) -> Money:
    """USD or EUR, in constant dollars when asked for USD and a base year is known."""
    currency = currency if currency in ("USD", "EUR") else "USD"
    constant = prices == "constant" and currency == "USD" and base_year is not None
    return Money(currency, constant, base_year if constant else None)


def as_money(value: Money | str) -> Money:
    """A Money from a Money or a currency code (nominal)."""
    return value if isinstance(value, Money) else money(value)


def prices_note(currency: str, prices: str) -> str:
    """What a chart says when constant prices were asked for an amount that has none."""
    if prices == "constant" and currency == "EUR":
        return "EUR amounts are nominal: constant prices are in US dollars only (CPI-U)"
    return ""
