"""Turn generated rows into landing files: daily batches, a re-delivery, injected bad rows, manifest."""

from __future__ import annotations

import csv
import io
import json
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from switchboard.contract import RULES, Table
from switchboard.generator.common import DAY, TableBuf, np_rng

ARROW_TYPES = {
    "str": pa.string(),
    "int": pa.int64(),
    "dec": pa.decimal128(18, 4),
    "bool": pa.bool_(),
    "ts": pa.timestamp("us", tz="UTC"),
    "date": pa.date32(),
}
RAW_TYPES = {
    "str": pa.string(),
    "int": pa.int64(),
    "dec": pa.float64(),
    "bool": pa.bool_(),
    "ts": pa.int64(),
    "date": pa.int64(),
}
UNPARSEABLE = {"int": "not-a-number", "dec": "n/a", "bool": "maybe", "ts": "2026-13-45T25:61:00Z", "date": "2026-13-45"}
ROW_GROUP = 256 * 1024


def raw_table(tb: TableBuf | pa.Table, table: Table) -> pa.Table:
    """Columns in contract order (without ``_extracted_at``) in raw types, plus ``__batch``."""
    if isinstance(tb, pa.Table):
        cols = {c.name: tb.column(c.name).cast(RAW_TYPES[c.type]) for c in table.columns if c.name != "_extracted_at"}
        cols["__batch"] = tb.column("__batch").cast(pa.int64())
        return pa.table(cols)
    cols = {}
    for c in table.columns:
        if c.name == "_extracted_at":
            continue
        cols[c.name] = pa.array(tb.data[c.name], RAW_TYPES[c.type])
    cols["__batch"] = pa.array(tb.batch, pa.int64())
    return pa.table(cols)


def extracted_at(table_id: str, batch: np.ndarray) -> np.ndarray:
    """Batch time: 02:00 UTC after the batch's day plus a deterministic jitter per table and day."""
    uniq = np.unique(batch)
    jit = {int(d): zlib.crc32(f"{table_id}:{int(d)}".encode()) % 900 for d in uniq}
    j = np.array([jit[int(d)] for d in batch], dtype=np.int64) if len(batch) else np.zeros(0, dtype=np.int64)
    return (batch + 1) * DAY + 2 * 3600 + j


def _fmt_key_value(v, typ: str) -> str:
    if v is None:
        return ""
    if typ == "ts":
        return pd.Timestamp(int(v), unit="s").strftime("%Y-%m-%dT%H:%M:%SZ")
    if typ == "date":
        return (date(1970, 1, 1) + timedelta(days=int(v))).isoformat()
    if typ == "bool":
        return "true" if v else "false"
    return str(v)


@dataclass
class Corruption:
    row: int  # row index in the raw table
    rule: str
    column: str
    text: str | None = None  # unparseable cell text


@dataclass
class Prepared:
    table: Table
    raw: pa.Table
    extracted: np.ndarray
    corruptions: list[Corruption] = field(default_factory=list)
    redelivery: np.ndarray | None = None  # raw row indices re-delivered


def _set(raw: pa.Table, col: str, rows: list[int], values: list) -> pa.Table:
    arr = raw.column(col).combine_chunks()
    mask = np.zeros(len(arr), dtype=bool)
    mask[rows] = True
    # replacement values must be given in row order
    order = np.argsort(rows, kind="stable")
    vals = [values[i] for i in order]
    new = pc.replace_with_mask(arr, pa.array(mask), pa.array(vals, arr.type))
    return raw.set_column(raw.schema.get_field_index(col), col, new)


def protect_latest_versions(raw: pa.Table, table: Table) -> np.ndarray:
    """True for rows that are the latest version of their key (versioned and full-extract tables)."""
    if table.kind not in ("versioned", "full_extract") or raw.num_rows == 0:
        return np.zeros(raw.num_rows, dtype=bool)
    df = raw.select(list(table.key)).to_pandas()
    return ~df.duplicated(keep="last").to_numpy()


def inject_bad_rows(
    prep: Prepared, rate: float, protected: np.ndarray, seed: int, key_protected: np.ndarray | None = None
) -> None:
    """Corrupt round(rate x rows) rows per applicable rule, each breaking exactly one rule."""
    t = prep.table
    raw = prep.raw
    n = raw.num_rows
    if n == 0 or rate <= 0:
        return
    rng = np_rng(seed, f"bad:{t.id}")
    k = max(1, int(round(rate * n)))
    used = protected.copy()
    cols = {c.name: c for c in t.columns}

    def nonnull(col: str) -> np.ndarray:
        return ~np.asarray(raw.column(col).is_null().to_numpy(zero_copy_only=False))

    def pick(mask: np.ndarray, count: int) -> list[int]:
        cand = np.nonzero(mask & ~used)[0]
        if len(cand) == 0:
            return []
        chosen = np.sort(rng.choice(cand, size=min(count, len(cand)), replace=False))
        used[chosen] = True
        return [int(x) for x in chosen]

    for rule in RULES:
        if rule == "null_key":
            rows = pick(~key_protected if key_protected is not None else np.ones(n, dtype=bool), k)
            by_col: dict[str, list[int]] = {}
            for r in rows:
                by_col.setdefault(t.key[int(rng.integers(0, len(t.key)))], []).append(r)
            for col, rs in by_col.items():
                raw = _set(raw, col, rs, [None] * len(rs))
                prep.corruptions += [Corruption(r, rule, col) for r in rs]
        elif rule == "unparseable_value":
            options = [
                c.name for c in t.columns if c.type != "str" and c.name not in t.key and c.name != "_extracted_at"
            ]
            masks = {c: nonnull(c) for c in options}
            rows = pick(np.ones(n, dtype=bool), k)
            for r in rows:
                good = [c for c in options if masks[c][r]]
                col = good[int(rng.integers(0, len(good)))] if good else "_extracted_at"
                prep.corruptions.append(Corruption(r, rule, col, UNPARSEABLE[cols[col].type]))
        elif rule == "unknown_value":
            enums = [c.name for c in t.columns if c.enum]
            if not enums:
                continue
            col = enums[0]
            rows = pick(nonnull(col), k)
            raw = _set(raw, col, rows, [f"zz_unknown_{col}"] * len(rows))
            prep.corruptions += [Corruption(r, rule, col) for r in rows]
        elif rule == "out_of_range":
            ranged = [c for c in t.columns if c.min is not None or c.max is not None]
            if not ranged:
                continue
            done = 0
            for i, c in enumerate(ranged):
                share = k // len(ranged) + (1 if i < k % len(ranged) else 0)
                rows = pick(nonnull(c.name), share)
                if not rows and done == 0 and i == len(ranged) - 1:
                    rows = pick(np.ones(n, dtype=bool), max(1, share))  # e.g. a score on an unanswered survey
                if not rows:
                    continue
                done += len(rows)
                bad = (c.max + 1) if c.max is not None else (c.min - 1)
                val = int(bad) if c.type == "int" else float(bad)
                raw = _set(raw, c.name, rows, [val] * len(rows))
                prep.corruptions += [Corruption(r, rule, c.name) for r in rows]
        elif rule == "time_order":
            if not t.time_order:
                continue
            earlier, later = t.time_order[-1] if t.id != "acd/contact_segments" else ("connected_at", "disconnected_at")
            mask = nonnull(earlier)
            rows = pick(mask, k)
            ev = raw.column(earlier).to_numpy(zero_copy_only=False)
            delta = 3600 if cols[earlier].type == "ts" else 1
            raw = _set(raw, later, rows, [int(ev[r]) - delta for r in rows])
            prep.corruptions += [Corruption(r, rule, later) for r in rows]
        elif rule == "future_timestamp":
            if not t.future_checked:
                continue
            rows = pick(np.ones(n, dtype=bool), k)
            per_col: dict[str, list[tuple[int, int]]] = {}
            taken: set = set()
            if t.id == "acd/agent_state_changes":
                ag = raw.column("agent_id").to_pylist()
                ts = raw.column("state_started_at").to_pylist()
                taken = set(zip(ag, ts))
            for r in rows:
                col = None
                for c in reversed(t.future_checked):
                    v = raw.column(c)[r].as_py()
                    if v is None:
                        continue
                    partners = [late for e, late in t.time_order if e == c and raw.column(late)[r].as_py() is not None]
                    if partners:
                        continue
                    col = c
                    break
                if col is None:
                    col = t.future_checked[0]
                new = int(prep.extracted[r]) + DAY + int(rng.integers(60, 3600))
                if t.id == "acd/agent_state_changes":
                    while (ag[r], new) in taken:
                        new += 1
                    taken.add((ag[r], new))
                per_col.setdefault(col, []).append((r, new))
            for col, pairs in per_col.items():
                raw = _set(raw, col, [p[0] for p in pairs], [p[1] for p in pairs])
                prep.corruptions += [Corruption(p[0], rule, col) for p in pairs]
        elif rule == "orphan_reference":
            if not t.references:
                continue
            col, parent = t.references[0]
            rows = pick(nonnull(col), k)
            vals = [
                ("zz_unknown_queue" if parent.startswith("seed:") else f"ORPHAN{i + 1:06d}") for i in range(len(rows))
            ]
            raw = _set(raw, col, rows, vals)
            prep.corruptions += [Corruption(r, rule, col) for r in rows]
    prep.raw = raw


def final_table(raw: pa.Table, table: Table, extracted: np.ndarray) -> pa.Table:
    """Raw columns cast to the contract's Arrow types, with ``_extracted_at``."""
    cols = {}
    for c in table.columns:
        if c.name == "_extracted_at":
            arr = pa.array(extracted * 1_000_000, pa.int64())
        else:
            arr = raw.column(c.name).combine_chunks()
        if c.type == "ts":
            arr = pc.multiply(arr, 1_000_000) if c.name != "_extracted_at" else arr
            arr = arr.cast(pa.timestamp("us", tz="UTC"))
        elif c.type == "date":
            arr = arr.cast(pa.int32()).cast(pa.date32())
        elif c.type == "dec":
            arr = pc.round(arr, 4).cast(pa.decimal128(18, 4))
        else:
            arr = arr.cast(ARROW_TYPES[c.type])
        cols[c.name] = arr
    return pa.table(cols, schema=pa.schema([pa.field(c.name, ARROW_TYPES[c.type]) for c in table.columns]))


def csv_text_columns(t: pa.Table, table: Table) -> list[pa.Array]:
    out = []
    for c in table.columns:
        arr = t.column(c.name).combine_chunks()
        if c.type == "ts":
            arr = pc.strftime(arr.cast(pa.timestamp("s", tz="UTC")), format="%Y-%m-%dT%H:%M:%SZ")
        elif c.type == "date":
            arr = pc.strftime(arr, format="%Y-%m-%d")
        else:
            arr = arr.cast(pa.string())
        out.append(arr)
    return out


def write_csv(path: Path, t: pa.Table, table: Table, overrides: dict[int, tuple[str, str]]) -> None:
    """Write ``t`` as contract CSV; ``overrides`` maps a row to (column, raw cell text)."""
    arrays = csv_text_columns(t, table)
    names = table.column_names
    if overrides:
        for ci, name in enumerate(names):
            rows = [r for r, (c, _) in overrides.items() if c == name]
            if rows:
                vals = arrays[ci].to_pylist()
                for r in rows:
                    vals[r] = overrides[r][1]
                arrays[ci] = pa.array(vals, pa.string())
    st = pa.table(arrays, names=names)
    buf = io.BytesIO()
    buf.write((",".join(names) + "\n").encode())
    if st.num_rows:
        pcsv.write_csv(st, buf, pcsv.WriteOptions(include_header=False, quoting_style="needed"))
    path.write_bytes(buf.getvalue())


def write_parquet(path: Path, t: pa.Table) -> None:
    """One landing Parquet file, with a CRC checksum in every page header: the landing door verifies them, so a file
    damaged after it was written stops the run instead of feeding changed values (docs/validation.md)."""
    pq.write_table(
        t,
        path,
        row_group_size=ROW_GROUP,
        compression="zstd",
        use_dictionary=True,
        write_statistics=True,
        write_page_checksum=True,
    )


def day_label(day: int) -> str:
    return (date(1970, 1, 1) + timedelta(days=int(day))).strftime("%Y%m%d")


def write_table(out: Path, prep: Prepared, fmt: str) -> tuple[dict[str, int], list[dict]]:
    """Write the daily batches (and the re-delivery and bad CSV files) of one table.

    Returns rows per file and the bad-row records (system, table, file, row, key, rule).
    """
    t = prep.table
    folder = out / t.system / t.name
    folder.mkdir(parents=True, exist_ok=True)
    final = final_table(prep.raw, t, prep.extracted)
    batch = prep.raw.column("__batch").to_numpy()
    unparse = {c.row: c for c in prep.corruptions if c.rule == "unparseable_value"}
    corr_by_row = {c.row: c for c in prep.corruptions}
    n = final.num_rows
    # rows moved into the extra CSV batch (Parquet only)
    in_bad = np.zeros(n, dtype=bool)
    if fmt == "parquet" and unparse:
        in_bad[list(unparse)] = True
    files: dict[str, int] = {}
    records: list[dict] = []
    key_types = [t.column(k).type for k in t.key]
    raw_keys = {k: prep.raw.column(k) for k in t.key}
    ext = "parquet" if fmt == "parquet" else "csv"

    def key_text(r: int) -> str:
        return "|".join(_fmt_key_value(raw_keys[k][r].as_py(), typ) for k, typ in zip(t.key, key_types))

    order = np.argsort(batch, kind="stable")
    bounds = np.flatnonzero(np.diff(batch[order])) + 1
    groups = np.split(order, bounds) if n else []
    for g in groups:
        day = int(batch[g[0]])
        main = g[~in_bad[g]]
        bad = g[in_bad[g]]
        name = f"{t.name}_{day_label(day)}"
        if len(main):
            rel = f"{t.system}/{t.name}/{name}.{ext}"
            sub = final.take(pa.array(main))
            if fmt == "parquet":
                write_parquet(out / rel, sub)
            else:
                ov = {
                    i: (unparse[int(r)].column, unparse[int(r)].text) for i, r in enumerate(main) if int(r) in unparse
                }
                write_csv(out / rel, sub, t, ov)
            files[rel] = len(main)
            for i, r in enumerate(main):
                c = corr_by_row.get(int(r))
                if c is not None:
                    records.append(
                        dict(system=t.system, table=t.name, file=rel, row=i + 1, key=key_text(int(r)), rule=c.rule)
                    )
        if len(bad):
            rel = f"{t.system}/{t.name}/{name}_bad.csv"
            sub = final.take(pa.array(bad))
            ov = {i: (unparse[int(r)].column, unparse[int(r)].text) for i, r in enumerate(bad)}
            write_csv(out / rel, sub, t, ov)
            files[rel] = len(bad)
            for i, r in enumerate(bad):
                records.append(
                    dict(
                        system=t.system,
                        table=t.name,
                        file=rel,
                        row=i + 1,
                        key=key_text(int(r)),
                        rule="unparseable_value",
                    )
                )
    if prep.redelivery is not None and len(prep.redelivery):
        idx = np.sort(prep.redelivery)
        day = int(batch[idx[0]])
        rel = f"{t.system}/{t.name}/{t.name}_{day_label(day)}_redelivery.{ext}"
        sub = final.take(pa.array(idx))
        if fmt == "parquet":
            write_parquet(out / rel, sub)
        else:
            write_csv(out / rel, sub, t, {})
        files[rel] = len(idx)
    return files, records


def write_bad_rows(out: Path, records: list[dict]) -> None:
    d = out / "_generator"
    d.mkdir(parents=True, exist_ok=True)
    with (d / "bad_rows.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["system", "table", "file", "row", "key", "rule"], lineterminator="\n")
        w.writeheader()
        for r in records:
            w.writerow(r)


def write_manifest(out: Path, manifest: dict) -> None:
    d = out / "_generator"
    d.mkdir(parents=True, exist_ok=True)
    (d / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
