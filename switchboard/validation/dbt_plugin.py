"""dbt-duckdb plugin: the landing door as a SQL function, so ``dbt build`` alone checks what it reads.

Configured on the DuckDB targets of profiles/profiles.yml (``plugins: [{module: switchboard.validation.dbt_plugin}]``).
It registers ``switchboard_landing_door(root varchar, ignored_patterns_json varchar, known_files_json varchar)
-> varchar`` on every
connection dbt opens; the on-run-start macro ``register_landing`` calls it once per run (see door.py).
"""

from __future__ import annotations

import contextlib

import duckdb
from dbt.adapters.duckdb.plugins import BasePlugin

from switchboard.validation.door import door_report

FUNCTION = "switchboard_landing_door"


class Plugin(BasePlugin):
    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        text = duckdb.sqltypes.VARCHAR
        with contextlib.suppress(duckdb.Error):
            conn.remove_function(FUNCTION)  # a reconnect configures the same connection again
        conn.create_function(FUNCTION, door_report, [text, text, text], text, side_effects=True)
