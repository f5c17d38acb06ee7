"""Tiny landing zones written straight from the contract, for tests that need a few valid rows.

`write_landing(root, ...)` writes one valid row per table (every rule of the contract satisfied:
enumerations from the contract's lists, numbers at their minimum, every timestamp equal, references
pointing at each other and at a seeded queue).
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from switchboard import contract

ARROW_TYPES = {
    "str": pa.string(),
    "int": pa.int64(),
    "dec": pa.decimal128(18, 4),
    "bool": pa.bool_(),
    "ts": pa.timestamp("us", tz="UTC"),
    "date": pa.date32(),
}

# Values of reference columns, so children point at parents that exist.
LINKED = {
    "segment_id": "SEG1",
    "evaluation_id": "EV1",
    "case_id": "CASE1",
    "queue_id": "nyc_billing_voice",
    "previous_segment_id": None,
    "site_id": "nyc",
    "currency": "USD",
}


def valid_row(table: contract.Table, event_time: dt.datetime, extracted_at: dt.datetime) -> dict:
    """One row of `table` that breaks no rule of the contract."""
    row = {}
    for col in table.columns:
        if col.name == "_extracted_at":
            value = extracted_at
        elif col.name in LINKED:
            value = LINKED[col.name]
        elif col.enum:
            value = col.enum[0]
        elif col.type == "str":
            value = f"{col.name}-1"
        elif col.type == "int":
            value = int(col.min or 0)
        elif col.type == "dec":
            value = decimal.Decimal(str(col.min or 1))
        elif col.type == "bool":
            value = False
        elif col.type == "ts":
            value = event_time
        else:
            value = event_time.date()
        row[col.name] = value
    return row


def write_parquet(
    path: Path,
    table: contract.Table,
    rows: list[dict],
    drop: tuple[str, ...] = (),
    types: dict[str, pa.DataType] | None = None,
) -> Path:
    """Rows as Parquet with the contract's Arrow types; `drop` leaves columns out, `types` overrides some."""
    types = types or {}
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {
        c.name: pa.array([r.get(c.name) for r in rows], types.get(c.name, ARROW_TYPES[c.type]))
        for c in table.columns
        if c.name not in drop
    }
    pq.write_table(pa.table(arrays), path)
    return path


def csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


def write_csv(path: Path, table: contract.Table, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(table.column_names)
        for r in rows:
            out.writerow([csv_text(r[c]) for c in table.column_names])


def write_landing(root: Path, extracted_at: dt.datetime, skip: tuple[str, ...] = ()) -> None:
    """One valid Parquet row per contract table under `root`, except the table ids in `skip`."""
    event_time = extracted_at - dt.timedelta(hours=1)
    for table in contract.TABLES:
        if table.id in skip:
            continue
        write_parquet(
            root / table.system / table.name / f"{table.name}_batch1.parquet",
            table,
            [valid_row(table, event_time, extracted_at)],
        )


def overwrite_inside_a_page(path: Path, nbytes: int = 200) -> str:
    """Overwrite `nbytes` bytes in the middle of the largest page (dictionary or data) of a Parquet file, as a bad
    disk or a broken copy would; page headers and footer stay intact. Returns the name of the damaged column."""
    meta = pq.ParquetFile(path).metadata
    regions = []  # (size, start, column): a dictionary page runs up to the first data page, data pages to the end
    for g in range(meta.num_row_groups):
        for c in range(meta.num_columns):
            chunk = meta.row_group(g).column(c)
            start = chunk.dictionary_page_offset or chunk.data_page_offset
            end = start + chunk.total_compressed_size
            if chunk.dictionary_page_offset:
                regions.append((chunk.data_page_offset - start, start, chunk.path_in_schema))
            regions.append((end - chunk.data_page_offset, chunk.data_page_offset, chunk.path_in_schema))
    size, start, column = max(regions)
    if size < nbytes + 200:
        raise ValueError(f"{path}: no page of {nbytes + 200} bytes")
    at = start + 100 + (size - 100 - nbytes) // 2  # past the page header (at most 100 bytes), before the next one
    data = bytearray(path.read_bytes())
    data[at : at + nbytes] = bytes((i * 37 + 11) % 256 for i in range(nbytes))
    path.write_bytes(bytes(data))
    return column
