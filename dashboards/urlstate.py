"""Page filters <-> URL query string, so a view can be bookmarked and shared.

Each page declares its filters as a tuple of ``Param``. ``parse_query`` reads the query
parameters Dash hands a page layout (or a raw ``?a=b`` string) and returns valid values,
falling back to the defaults; ``build_query`` writes them back as ``?key=value&...``.
Lists are comma-separated: ``?j=US,GB&metric=penalties_usd``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl, quote, urlencode

Kind = Literal["list", "choice", "int", "bool"]


@dataclass(frozen=True)
class Param:
    key: str
    kind: Kind
    default: Any
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None


def _first(raw: str | list[str]) -> str:
    return raw[-1] if isinstance(raw, list) else raw


def _parse_one(param: Param, raw: str | list[str]) -> Any:
    if param.kind == "list":
        parts = raw if isinstance(raw, list) else [raw]
        values = [v.strip() for part in parts for v in part.split(",") if v.strip()]
        if param.choices:
            values = [v for v in values if v in param.choices]
        return list(dict.fromkeys(values))
    text = _first(raw).strip()
    if param.kind == "choice":
        return text if text in param.choices else param.default
    if param.kind == "bool":
        return text.lower() in ("1", "true", "yes", "on")
    try:
        number = int(text)
    except ValueError:
        return param.default
    if param.minimum is not None:
        number = max(param.minimum, number)
    if param.maximum is not None:
        number = min(param.maximum, number)
    return number


def parse_query(query: str | Mapping[str, Any], spec: Sequence[Param]) -> dict[str, Any]:
    """Filter values from a query string or mapping; missing or invalid ones take defaults."""
    if isinstance(query, str):
        pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True)
        mapping: dict[str, Any] = {}
        for key, value in pairs:
            mapping.setdefault(key, []).append(value)
    else:
        mapping = dict(query)
    values: dict[str, Any] = {}
    for param in spec:
        raw = mapping.get(param.key)
        if raw is None:
            values[param.key] = list(param.default) if param.kind == "list" else param.default
        else:
            values[param.key] = _parse_one(param, raw)
    return values


def _format_one(param: Param, value: Any) -> str:
    if param.kind == "list":
        return ",".join(str(v) for v in (value or []))
    if param.kind == "bool":
        return "1" if value else "0"
    return str(value)


def build_query(values: Mapping[str, Any], spec: Sequence[Param]) -> str:
    """``?key=value&...`` for every parameter of the spec, in spec order."""
    pairs = [(p.key, _format_one(p, values.get(p.key, p.default))) for p in spec]
    return "?" + urlencode(pairs, safe=",", quote_via=quote)


def year_range(values: Mapping[str, Any]) -> list[int]:
    """[from, to] in order, whichever way round the URL gave them."""
    low, high = int(values["from"]), int(values["to"])
    return [min(low, high), max(low, high)]


def data_page_query(dataset: str, codes: Sequence[str], years: Sequence[int]) -> str:
    """The Data page's query string for the data behind another page's charts."""
    pairs = [("dataset", dataset), ("j", ",".join(codes)), ("from", years[0]), ("to", years[1])]
    return "?" + urlencode(pairs, safe=",", quote_via=quote)
