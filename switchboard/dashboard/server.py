"""How the dashboard is started: one command line for `switchboard dashboard` and for the browser test."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from switchboard.dashboard.warehouse import DASHBOARD_DB_ENV

APP = Path(__file__).resolve().parent / "app.py"


def streamlit_command(host: str, port: int) -> list[str]:
    """`streamlit run` of the app: headless (no browser opened for you), no usage statistics, no file watcher."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--client.toolbarMode",
        "viewer",
        "--theme.base",
        "light",
    ]


def streamlit_env(db: Path | None) -> dict[str, str]:
    """The app process's environment: the warehouse chosen by --db, if any (see data.warehouse_path)."""
    env = dict(os.environ)
    if db is not None:
        env[DASHBOARD_DB_ENV] = str(Path(db).resolve())
    return env
