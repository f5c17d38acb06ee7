"""Settings: environment variables with defaults inside the project."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_DIR / "seeds"

# The clearly marked demo default; set SWITCHBOARD_PII_SALT in any real deployment.
DEMO_PII_SALT = "switchboard-demo-salt-CHANGE-ME"


def landing_dir() -> Path:
    return Path(os.environ.get("SWITCHBOARD_LANDING_DIR") or PROJECT_DIR / "data" / "landing")


def db_path() -> Path:
    return Path(os.environ.get("SWITCHBOARD_DB_PATH") or PROJECT_DIR / "data" / "switchboard.duckdb")


def pii_salt() -> str:
    return os.environ.get("SWITCHBOARD_PII_SALT") or DEMO_PII_SALT
