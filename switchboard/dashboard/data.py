"""The dashboard's only door to the warehouse: which file, read-only, one short connection per query.

A dashboard must never lock or block a build: DuckDB lets a writer in only when no other process holds the file, so
no connection is kept open between queries (each query opens the file read-only, reads, closes). Results are cached
by file, modification time and statement, so a rebuilt (or re-published) warehouse is read afresh and an idle page
costs nothing. While a build holds the file, queries raise `WarehouseUnavailable` with a sentence to show.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st
import yaml

from switchboard import settings
from switchboard.dashboard.warehouse import warehouse_path
from switchboard.serving import ServingError, connect_served

# How long a cached result may be reused even when the file did not change (seconds).
CACHE_TTL_S = 300


class WarehouseUnavailable(RuntimeError):
    """The warehouse file is missing or being written; the message says what to do, for the page to show."""


def _stamp(path: Path) -> float:
    """Modification time of the file: part of every cache key, so a new build is never hidden by the cache."""
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        raise WarehouseUnavailable(
            f"No warehouse at {path}. Build one with `make demo` (or `dbt build`), or pass --db PATH."
        ) from None


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False, max_entries=512)
def _cached_query(path: str, stamp: float, sql: str, params: tuple[Any, ...]) -> pd.DataFrame:
    del stamp  # only part of the cache key
    try:
        # connect_served attaches the file to a fresh in-memory database, so a publication that renamed a new file
        # over the path is seen by the next query even while Streamlit's process holds other connections.
        with connect_served(Path(path)) as con:
            return con.execute(sql, [list(p) if isinstance(p, tuple) else p for p in params]).df()
    except ServingError as exc:
        raise WarehouseUnavailable(str(exc)) from exc
    except duckdb.IOException as exc:
        raise WarehouseUnavailable(
            f"The warehouse {path} is being written by a build right now ({exc.__class__.__name__}); "
            "reload the page when it has finished."
        ) from exc


def query(sql: str, params: tuple[Any, ...] | list[Any] = ()) -> pd.DataFrame:
    """Run one read-only statement on the chosen warehouse and return its rows (cached, see the module doc)."""
    path = warehouse_path()
    return _cached_query(str(path), _stamp(path), sql, tuple(params))


def relations() -> set[tuple[str, str]]:
    """Every (schema, table) of the warehouse, to show only what has been built or published."""
    frame = query("select table_schema, table_name from information_schema.tables")
    return set(zip(frame["table_schema"], frame["table_name"]))


def has(schema: str, table: str) -> bool:
    return (schema, table) in relations()


def find_relation(table: str, schemas: tuple[str, ...]) -> str | None:
    """The first `schema.table` of `schemas` that exists, or None."""
    names = relations()
    for schema in schemas:
        if (schema, table) in names:
            return f"{schema}.{table}"
    return None


@lru_cache(maxsize=1)
def _project_vars() -> dict[str, Any]:
    with open(settings.PROJECT_DIR / "dbt_project.yml", encoding="utf-8") as handle:
        return (yaml.safe_load(handle) or {}).get("vars", {}) or {}


def project_var(name: str) -> Any:
    """A dbt var of the project (business rules live there, not in the dashboard): KeyError if it is not set."""
    return _project_vars()[name]
