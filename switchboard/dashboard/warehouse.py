"""Which warehouse file the dashboard reads: one function, so the served copy can be wired in at one place.

Kept apart from `data` (which imports Streamlit's cache) so the CLI can resolve the path without Streamlit.
"""

from __future__ import annotations

import os
from pathlib import Path

from switchboard.serving import served_path

# Set by `switchboard dashboard --db PATH` for the Streamlit process it starts (its own argv belongs to Streamlit).
DASHBOARD_DB_ENV = "SWITCHBOARD_DASHBOARD_DB"


def warehouse_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The one place that chooses the file: the --db option, else the served (published) copy.

    Order: `explicit` (the CLI's --db), $SWITCHBOARD_DASHBOARD_DB (the same option passed to the app process), then
    `switchboard.serving.served_path()` ($SWITCHBOARD_SERVED_PATH, else `served/switchboard.duckdb` beside the build
    file). The build's own file is never read by default: a build holds its lock and may be half-written.
    """
    for candidate in (explicit, os.environ.get(DASHBOARD_DB_ENV)):
        if candidate:
            return Path(candidate)
    return served_path()
