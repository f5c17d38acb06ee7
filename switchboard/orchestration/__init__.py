"""Dagster definitions of Switchboard: ``dagster dev -m switchboard.orchestration`` (or ``make orchestrate``).

Loading them needs the dbt manifest: ``dagster dev`` parses the project at start; elsewhere it is parsed when
``target/manifest.json`` (or ``$DBT_TARGET_PATH/manifest.json``) is missing. See docs/orchestration.md.
"""

from switchboard.orchestration.definitions import build_definitions

defs = build_definitions()

__all__ = ["build_definitions", "defs"]
