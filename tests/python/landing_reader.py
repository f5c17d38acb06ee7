"""Read generated landing files straight into pandas, independently of the dbt models.

The KPI comparison tests recompute every KPI from the landing files with this reader and plain pandas, so a
mistake in the warehouse cannot hide behind the same mistake in the check. Rows the generator recorded as
corrupted (`_generator/bad_rows.csv`: file and 1-based row) are dropped by their position in the file, not by
re-applying the warehouse's rules; duplicates of a key keep the latest `_extracted_at`, then the file name
sorting last (the contract's order).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from switchboard import contract


@cache
def bad_rows(landing: Path) -> frozenset[tuple[str, int]]:
    path = landing / "_generator" / "bad_rows.csv"
    if not path.exists():
        return frozenset()
    with path.open(newline="", encoding="utf-8") as f:
        return frozenset((r["file"], int(r["row"])) for r in csv.DictReader(f))


def _typed(frame: pd.DataFrame, table: contract.Table) -> pd.DataFrame:
    for col in table.columns:
        s = frame[col.name]
        if col.type == "ts":
            frame[col.name] = pd.to_datetime(s, utc=True).dt.tz_localize(None)
        elif col.type == "date":
            frame[col.name] = pd.to_datetime(s).dt.date
        elif col.type in ("int", "dec"):
            frame[col.name] = pd.to_numeric(s).astype("float64")
        elif col.type == "bool":
            frame[col.name] = s.map(lambda v: None if v is None or v != v else str(v).lower() == "true")
        else:
            frame[col.name] = s.astype("object").where(s.notna(), None)
    return frame


def read_raw(landing: Path, table_id: str) -> pd.DataFrame:
    """Every row of every file of a table, minus the generator's corrupted rows, with `_file` and `_row`."""
    table = contract.table(table_id)
    folder = landing / table.system / table.name
    skip = bad_rows(landing)
    frames = []
    for path in sorted(folder.glob("*.parquet")) + sorted(folder.glob("*.csv")):
        rel = path.relative_to(landing).as_posix()
        if path.suffix == ".parquet":
            frame = pq.read_table(path).to_pandas()
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        frame["_file"] = rel
        frame["_row"] = range(1, len(frame) + 1)
        frame = frame[[(rel, r) not in skip for r in frame["_row"]]]
        if len(frame):
            frames.append(_typed(frame.copy(), table))
    if not frames:
        return pd.DataFrame(columns=table.column_names + ["_file", "_row"])
    return pd.concat(frames, ignore_index=True)


def read_current(landing: Path, table_id: str) -> pd.DataFrame:
    """One row per key: the latest `_extracted_at`, then the file name sorting last."""
    table = contract.table(table_id)
    raw = read_raw(landing, table_id)
    ordered = raw.sort_values(["_extracted_at", "_file"], kind="mergesort")
    return ordered.drop_duplicates(list(table.key), keep="last").reset_index(drop=True)
