"""Which warehouse file the dashboard reads: one function, so the served copy can be wired in at one place.

Kept apart from `data` (which imports Streamlit's cache) so the CLI can resolve the path without Streamlit.
"""

from __future__ import annotations

import os
from pathlib import Path

from switchboard import settings

# Set by `switchboard dashboard --db PATH` for the Streamlit process it starts (its own argv belongs to Streamlit).
DASHBOARD_DB_ENV = "SWITCHBOARD_DASHBOARD_DB"
# The served read-only copy of the warehouse (issue 15, switchboard.serving.served_path()), when one is published.
SERVED_PATH_ENV = "SWITCHBOARD_SERVED_PATH"


def warehouse_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The one place that chooses the file: the --db option, else the served copy, else the build's file.

    Order: `explicit` (the CLI's --db), $SWITCHBOARD_DASHBOARD_DB (the same option passed to the app process),
    $SWITCHBOARD_SERVED_PATH (the published read-only copy), $SWITCHBOARD_DB_PATH, data/switchboard.duckdb.
    """
    for candidate in (explicit, os.environ.get(DASHBOARD_DB_ENV), os.environ.get(SERVED_PATH_ENV)):
        if candidate:
            return Path(candidate)
    return settings.db_path()
