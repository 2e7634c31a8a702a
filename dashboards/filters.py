"""The kinds of filter a page's spec is made of (``dashboards.page_factory.Filter``):
jurisdictions, a year range, one choice of a few, a yes/no box, a list of tags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import dcc

from dashboards import components as ui
from dashboards.frames import humanize
from dashboards.page_factory import Filter
from dashboards.urlstate import Param, year_range

DEFAULT_CODES = ("US", "CN", "GB", "EU")


def jurisdictions(default: Sequence[str] = DEFAULT_CODES) -> Filter:
    """The jurisdictions dropdown (``?j=US,GB``); its options are filled by a callback."""
    return Filter(
        "jurisdictions",
        "Jurisdictions",
        (Param("j", "list", tuple(default)),),
        ui.jurisdiction_dropdown,
        width="3",
        from_control=lambda codes: {"j": list(codes or [])},
    )


def years(label: str = "Years", first: int = ui.FIRST_YEAR, last: int = ui.LAST_YEAR) -> Filter:
    """The year range slider (``?from=2010&to=2026``)."""
    bounds = {"minimum": ui.FIRST_YEAR, "maximum": ui.LAST_YEAR}
    return Filter(
        "years",
        label,
        (Param("from", "int", first, **bounds), Param("to", "int", last, **bounds)),
        ui.year_slider,
        width="3",
        to_control=year_range,
        from_control=lambda span: {"from": min(span), "to": max(span)},
    )


def choice(
    key: str,
    label: str,
    options: Mapping[str, str],
    default: str,
    *,
    dropdown: bool = False,
    inline: bool = True,
    width: str = "auto",
) -> Filter:
    """One of ``options`` (value -> label): radio items, or a dropdown."""
    items = [{"label": text, "value": value} for value, text in options.items()]

    def control(component_id: str, value: Any) -> Any:
        if dropdown:
            return dcc.Dropdown(id=component_id, options=items, value=value, clearable=False)
        return dcc.RadioItems(id=component_id, options=items, value=value, inline=inline)

    return Filter(key, label, (Param(key, "choice", default, tuple(options)),), control, width)


def flag(key: str, label: str, text: str, default: bool) -> Filter:
    """A yes/no check box (``?history=1``)."""

    def control(component_id: str, value: Any) -> Any:
        return dcc.Checklist(
            id=component_id,
            options=[{"label": text, "value": "yes"}],
            value=["yes"] if value else [],
        )

    return Filter(
        key,
        label,
        (Param(key, "bool", default),),
        control,
        from_control=lambda checked: {key: bool(checked)},
    )


def tags(key: str, label: str, placeholder: str, width: str = "auto") -> Filter:
    """Any number of codes (``?types=law,ban``; none: all), offered by a callback."""

    def control(component_id: str, value: Any) -> Any:
        return dcc.Dropdown(
            id=component_id,
            options=[{"label": humanize(v), "value": v} for v in value],
            value=value,
            multi=True,
            placeholder=placeholder,
        )

    return Filter(
        key,
        label,
        (Param(key, "list", ()),),
        control,
        width,
        from_control=lambda chosen: {key: list(chosen or [])},
    )
