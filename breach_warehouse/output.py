"""Render a polars frame as a terminal table, CSV or JSON."""

from __future__ import annotations

import json

import polars as pl


def render(frame: pl.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return frame.write_csv()
    if fmt == "json":
        return json.dumps(frame.to_dicts(), default=str, indent=2) + "\n"
    return _table(frame)


def _table(frame: pl.DataFrame) -> str:
    headers = frame.columns
    rows = [["" if v is None else str(v) for v in row] for row in frame.iter_rows()]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    line = "+".join("-" * (w + 2) for w in widths)
    out = [
        " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)),
        line,
        *(" | ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows),
        f"({frame.height} row{'s' if frame.height != 1 else ''})",
    ]
    return "\n".join(out) + "\n"
