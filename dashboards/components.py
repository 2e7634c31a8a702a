"""Layout building blocks shared by the pages (no data access: options that need data are
filled by callbacks)."""

from __future__ import annotations

from typing import Any

import dash
import polars as pl
from dash import Output, dash_table, dcc, html

from dashboards.figures import NO_DATA
from dashboards.frames import humanize
from dashboards.urlstate import data_page_query
from dashboards.worldmap import TOPOJSON_ROUTE

FIRST_YEAR, LAST_YEAR = 2000, 2026


def header(title: str, intro: str) -> html.Div:
    return html.Div([html.H2(title), html.P(intro, className="intro")], className="page-header")


def field(label: str, control: Any, width: str = "auto") -> html.Div:
    return html.Div(
        [html.Label(label, className="field-label"), control],
        className="field",
        style={"flex": width},
    )


def jurisdiction_dropdown(component_id: str, value: list[str]) -> dcc.Dropdown:
    return dcc.Dropdown(
        id=component_id,
        options=[{"label": code, "value": code} for code in value],  # real labels by callback
        value=value,
        multi=True,
        placeholder="Pick jurisdictions (countries, subdivisions, regions, EU)",
    )


def year_slider(component_id: str, value: list[int]) -> dcc.RangeSlider:
    marks = {y: str(y) for y in range(FIRST_YEAR, LAST_YEAR + 1, 5)}
    marks[LAST_YEAR] = str(LAST_YEAR)
    return dcc.RangeSlider(
        id=component_id,
        min=FIRST_YEAR,
        max=LAST_YEAR,
        step=1,
        value=value,
        marks=marks,
        allowCross=False,
        tooltip={"placement": "bottom", "always_visible": False},
    )


def graph(component_id: str, height: int | None = 420) -> dcc.Loading:
    """A graph; height None lets the figure set its own height."""
    return dcc.Loading(
        dcc.Graph(
            id=component_id,
            style={"height": f"{height}px"} if height else {},
            config={
                "displaylogo": False,
                "topojsonURL": dash.get_relative_path(TOPOJSON_ROUTE),
                "toImageButtonOptions": {"filename": component_id},
            },
        ),
        type="default",
        delay_show=300,
    )


def table(component_id: str, page_size: int = 10) -> dash_table.DataTable:
    return dash_table.DataTable(
        id=component_id,
        data=[],
        columns=[],
        page_size=page_size,
        sort_action="native",
        filter_action="native",
        style_table={"overflowX": "auto"},
        style_cell={
            "textAlign": "left",
            "whiteSpace": "normal",
            "height": "auto",
            "maxWidth": "420px",
            "fontFamily": "inherit",
            "fontSize": "13px",
        },
        style_header={"fontWeight": "600", "backgroundColor": "#f3f3f3"},
        markdown_options={"link_target": "_blank"},
    )


def source_link(title: str | None, url: str | None, source_id: str) -> str:
    """Markdown for a source cell: its title, linked where the address is known."""
    text = (title or source_id).replace("[", "(").replace("]", ")")
    return f"[{text}]({url})" if url else f"{text} ({source_id})"


def table_payload(
    frame: pl.DataFrame, columns: dict[str, str], markdown: tuple[str, ...] = ("source",)
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """DataTable data and columns from a polars frame: ``columns`` maps field -> header."""
    if "source_id" in frame.columns and "source" in columns:
        frame = frame.with_columns(
            pl.struct("source_title", "source_url", "source_id")
            .map_elements(
                lambda s: source_link(s["source_title"], s["source_url"], s["source_id"]),
                return_dtype=pl.String,
            )
            .alias("source")
        )
    shown = frame.select([c for c in columns if c in frame.columns])
    shown = shown.with_columns(pl.col(pl.Date, pl.Datetime).cast(pl.String))
    specs = []
    for field_name, header_text in columns.items():
        spec: dict[str, Any] = {"name": header_text, "id": field_name}
        if field_name in markdown:
            spec["presentation"] = "markdown"
        elif shown.schema.get(field_name) in (pl.Float64, pl.Int64, pl.Int32):
            spec["type"] = "numeric"
            if field_name.endswith("year"):
                spec["format"] = {"specifier": "d"}
            elif shown.schema[field_name] == pl.Float64:
                spec["format"] = {"specifier": ",.2f"}
            else:
                spec["format"] = {"specifier": ","}
        specs.append(spec)
    return shown.to_dicts(), specs


def jurisdiction_options(frame: pl.DataFrame) -> list[dict[str, str]]:
    """Dropdown options: 'United States (US)', 'Europe (region)', 'Illinois (US-IL)'."""
    options = []
    for row in frame.iter_rows(named=True):
        level = row["jurisdiction_level"]
        code = row["jurisdiction_code"]
        if level in ("region", "world", "supranational"):
            label = f"{row['jurisdiction_name']} ({humanize(level).lower()})"
        else:
            label = f"{row['jurisdiction_name']} ({code})"
        options.append({"label": label, "value": code})
    return options


def data_link(page: str, text: str = "Data behind these charts (CSV)") -> html.A:
    """Link to the Data page with this page's filters (its href is set by ``sync_url``)."""
    return html.A(text, id=f"{page}-data-link", href="/data", className="data-link")


def data_link_href(dataset: str, codes: list[str], years: list[int]) -> str:
    return dash.get_relative_path("/data") + data_page_query(dataset, codes, years)


def graph_pair(left: str, right: str, height: int) -> html.Div:
    """Two charts side by side (one above the other on a narrow screen)."""
    return html.Div(
        [
            html.Div(graph(left, height), className="half"),
            html.Div(graph(right, height), className="half"),
        ],
        className="row",
    )


def table_section(page: str, title: str, page_size: int = 10) -> list[Any]:
    return [
        html.H3(title, className="section-title"),
        html.Div(id=f"{page}-table-message", className="intro"),
        table(f"{page}-table", page_size=page_size),
    ]


FULL_DATA_HINT = "For every row use `breach-warehouse extract` or `breach-warehouse sql`."


def listing_message(shown: int, total: int, noun: str, which: str, detail: str = "") -> str:
    """What a bounded listing holds: 'Showing the 25 largest of 1,234,567 breaches' (with
    where the rest is), 'All 3 breaches, largest first', or the empty-selection message."""
    if shown == 0 and total == 0:
        return NO_DATA
    if total <= shown:
        return f"All {total:,} {noun}, {which} first{detail}."
    return f"Showing the {shown:,} {which} of {total:,} {noun}{detail}. {FULL_DATA_HINT}"


def table_section_outputs(page: str) -> list[Output]:
    """The ``Output``\\s a callback fills a :func:`table_section` through, in the order of
    :func:`table_outputs`."""
    return [
        Output(f"{page}-table", "data"),
        Output(f"{page}-table", "columns"),
        Output(f"{page}-table-message", "children"),
    ]


def table_outputs(
    frame: pl.DataFrame, columns: dict[str, str], message: str = ""
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """A table section's data, columns and message (the empty-selection message when
    there are no rows, else ``message``)."""
    rows, specs = table_payload(frame, columns)
    return rows, specs, message if rows else NO_DATA
