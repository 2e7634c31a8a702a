"""The Dash app: ``create_app(db_path)`` builds it over one warehouse file."""

from __future__ import annotations

from pathlib import Path

import dash
from dash import dcc, html

from dashboards import status
from dashboards.context import DB_CONFIG_KEY
from dashboards.worldmap import TOPOJSON_ROUTE, world_topojson

PACKAGE_DIR = Path(__file__).resolve().parent
PAGES_DIR = PACKAGE_DIR / "pages"
ASSETS_DIR = PACKAGE_DIR / "assets"


def _navigation() -> html.Nav:
    links = [
        dcc.Link(
            page["name"],
            href=page["relative_path"],
            className="nav-link",
            id=f"nav-{page['module'].rsplit('.', 1)[-1]}",
        )
        for page in dash.page_registry.values()
    ]
    return html.Nav(
        [html.Span("Breach & Enforcement Warehouse", className="brand"), *links], className="navbar"
    )


def _layout() -> html.Div:
    return html.Div(
        [_navigation(), status.banner(), html.Main(dash.page_container, className="content")]
    )


def create_app(db_path: Path) -> dash.Dash:
    """The multi-page app reading the warehouse at ``db_path`` (read-only)."""
    app = dash.Dash(
        "dashboards",
        use_pages=True,
        pages_folder=str(PAGES_DIR),
        assets_folder=str(ASSETS_DIR),
        title="Breach & Enforcement Warehouse",
        update_title=None,
        suppress_callback_exceptions=True,
    )
    app.server.config[DB_CONFIG_KEY] = str(Path(db_path).resolve())
    app.layout = _layout
    status.register(app)

    @app.server.route(f"{TOPOJSON_ROUTE}<name>.json")
    def topojson(name: str):  # every scope/resolution gets the same world map
        return app.server.response_class(world_topojson(), mimetype="application/json")

    return app
