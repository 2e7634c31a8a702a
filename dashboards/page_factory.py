"""A filtered page built from its spec: the filter rows of its layout, the callbacks'
inputs and the URL sync, all from one :class:`PageSpec`.

A page declares its filters once, in the order of its callbacks' arguments. Each
:class:`Filter` is one control (``<page>-<thing>``) holding one or more URL parameters
(``dashboards.urlstate.Param``; the year slider holds ``from`` and ``to``). From the spec
come the parameters the URL carries (``PageSpec.params``, in filter order), the layout's
filter rows, the callbacks' ``Input``\\s, and the URL sync: the page's query string (and
the link to the Data page with the same filters) written on every filter change and
copied into the address bar without a reload.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboards import components as ui
from dashboards.urlstate import Param, build_query, parse_query, year_range

Control = Callable[[str, Any], Any]  # (component id, the control's value) -> component


def _single(params: tuple[Param, ...]) -> str:
    return params[0].key


@dataclass(frozen=True)
class Filter:
    """One control of a page's filter rows and the URL parameters it holds."""

    thing: str  # the control's id is <page>-<thing>
    label: str
    params: tuple[Param, ...]
    control: Control
    width: str = "auto"  # flex share of the filter row
    # The control's value from the parsed URL values (default: its one parameter's value).
    to_control: Callable[[Mapping[str, Any]], Any] | None = None
    # The URL values from the control's value (default: its one parameter, as given).
    from_control: Callable[[Any], dict[str, Any]] | None = None

    def control_value(self, values: Mapping[str, Any]) -> Any:
        if self.to_control is not None:
            return self.to_control(values)
        return values[_single(self.params)]

    def url_values(self, value: Any) -> dict[str, Any]:
        if self.from_control is not None:
            return self.from_control(value)
        return {_single(self.params): value}


@dataclass(frozen=True)
class PageSpec:
    """A filtered page: its filters in the order of its callbacks' arguments, how the
    layout arranges them in rows, and the Data page dataset its data link opens."""

    page: str
    filters: tuple[Filter, ...]
    rows: tuple[tuple[str, ...], ...]  # the filters of each row, by thing
    dataset: str | None = None  # None: the page has no link to the Data page
    _by_thing: dict[str, Filter] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_thing", {f.thing: f for f in self.filters})
        arranged = [thing for row in self.rows for thing in row]
        if sorted(arranged) != sorted(self._by_thing):
            raise ValueError(f"{self.page}: rows {arranged} must show every filter once")

    @property
    def params(self) -> tuple[Param, ...]:
        """The URL parameters of the page, in filter order."""
        return tuple(p for f in self.filters for p in f.params)

    def id(self, thing: str) -> str:
        return f"{self.page}-{thing}"

    def parse(self, query: str | Mapping[str, Any]) -> dict[str, Any]:
        return parse_query(query, self.params)

    # --- layout -------------------------------------------------------------------------

    def layout(
        self,
        query: Mapping[str, Any],
        title: str,
        intro: str,
        body: Sequence[Any],
        extra: Sequence[Any] | None = None,
    ) -> html.Div:
        """The page: its header, the filter rows set from the URL ``query`` (ending with
        ``extra``, by default the link to the Data page), ``body`` and the page's stores."""
        ending = (ui.data_link(self.page),) if extra is None else extra
        return html.Div(
            [
                ui.header(title, intro),
                *self.filter_rows(self.parse(query), *ending),
                *body,
                *self.state(),
            ]
        )

    def filter_rows(self, values: Mapping[str, Any], *extra: Any) -> list[html.Div]:
        """The filter rows with each control set from ``values`` (parsed URL values);
        ``extra`` components (the data link, a download button) end the last row."""
        rows = []
        for index, row in enumerate(self.rows):
            fields: list[Any] = []
            for thing in row:
                found = self._by_thing[thing]
                control = found.control(self.id(thing), found.control_value(values))
                fields.append(ui.field(found.label, control, found.width))
            if index == len(self.rows) - 1:
                fields.extend(extra)
            rows.append(html.Div(fields, className="filters"))
        return rows

    def state(self) -> list[Any]:
        """The stores the page ends with: a one-shot trigger for filling options, and
        the query string the URL sync copies into the address bar."""
        return [
            dcc.Store(id=self.id("init"), data=0),
            dcc.Store(id=self.id("query")),
            html.Span(id=self.id("url-sync"), hidden=True),
        ]

    # --- callbacks ----------------------------------------------------------------------

    def inputs(self, *things: str) -> list[Input]:
        """``Input``\\s of the filters named (every filter, in order, when none is)."""
        return [Input(self.id(t), "value") for t in things or self._by_thing]

    def states(self, *things: str) -> list[State]:
        return [State(self.id(t), "value") for t in things or self._by_thing]

    def url_values(self, controls: Sequence[Any]) -> dict[str, Any]:
        """Valid URL values from the controls' values (in filter order)."""
        values: dict[str, Any] = {}
        for found, value in zip(self.filters, controls, strict=False):
            values |= found.url_values(value)
        return self.parse(build_query(values, self.params))

    def register_url_sync(self) -> Callable[..., Any]:
        """Register the callbacks writing the page's query string (and its Data page link)
        on every filter change and copying it into the address bar; returns the first."""
        outputs = [Output(self.id("query"), "data")]
        if self.dataset is not None:
            outputs.append(Output(self.id("data-link"), "href"))

        @callback(*outputs, *self.inputs())
        def sync_url(*controls: Any) -> str | tuple[str, str]:
            values = self.url_values(controls)
            query = build_query(values, self.params)
            if self.dataset is None:
                return query
            return query, ui.data_link_href(self.dataset, values["j"], year_range(values))

        dash.clientside_callback(
            URL_SYNC_JS,
            Output(self.id("url-sync"), "children"),
            Input(self.id("query"), "data"),
        )
        return sync_url


# Sets the address bar to the page's filters without a reload or a history entry (the
# pages router would otherwise re-render the page on every filter change).
URL_SYNC_JS = """
function(query) {
    if (query && window.location.search !== query) {
        window.history.replaceState(window.history.state, "", window.location.pathname + query);
    }
    return "";
}
"""
