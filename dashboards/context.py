"""Where a callback finds the warehouse: the app's server config, set by create_app."""

from __future__ import annotations

from pathlib import Path

import dash

DB_CONFIG_KEY = "BW_DB_PATH"


def db_path() -> Path:
    """The warehouse file of the running app."""
    return Path(dash.get_app().server.config[DB_CONFIG_KEY])
