"""Synthetic contact center: simulate a multi-site, multi-channel center and write every landing table.

Entry points: :class:`GeneratorOptions` and :func:`generate` (used by ``switchboard generate``).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa

from switchboard.contract import TABLES
from switchboard.generator import derived, writer
from switchboard.generator.common import TableBuf, day_number, load_seeds, np_rng
from switchboard.generator.org import build_org
from switchboard.generator.sim import build_customers, simulate

REDELIVERED = ("acd/contact_segments", "acd/agent_state_changes")


@dataclass
class GeneratorOptions:
    """Options of one generation run (see ``switchboard generate --help``)."""

    out: str
    seed: int = 42
    start: str | None = None  # first local date 'YYYY-MM-DD'; None = the data ends yesterday (UTC)
    days: int = 120
    scale: float = 1.0
    fmt: str = "parquet"  # parquet | csv
    bad_rows: float = 0.0


def resolve_start(opts: GeneratorOptions) -> date:
    if opts.start:
        return date.fromisoformat(opts.start)
    last = datetime.now(UTC).date() - timedelta(days=1)
    return last - timedelta(days=opts.days - 1)


def _clean(out: Path) -> None:
    """Remove earlier generator output (only the contract's table folders and ``_generator``)."""
    for t in TABLES:
        folder = out / t.system / t.name
        if folder.is_dir():
            shutil.rmtree(folder)
    if (out / "_generator").is_dir():
        shutil.rmtree(out / "_generator")


def build_tables(
    opts: GeneratorOptions, start: date, stream: bool = False
) -> tuple[dict[str, TableBuf | pa.Table | Iterator[pa.Table]], int]:
    """Run the whole simulation; return every landing table's rows and the data horizon (epoch s).

    With ``stream``, ``crm/customers`` (the largest table) is an iterator of daily Arrow tables instead of one.
    """
    if opts.days < 1:
        raise ValueError("--days must be at least 1")
    if opts.scale <= 0:
        raise ValueError("--scale must be positive")
    if not 0 <= opts.bad_rows < 0.1:
        raise ValueError("--bad-rows must be at least 0 and below 0.1 (each rule is injected at that rate)")
    seeds = load_seeds()
    org = build_org(seeds, opts.seed, start, opts.days, opts.scale)
    customers = build_customers(seeds, opts.seed, start, opts.days, opts.scale)
    incidents = derived.build_incidents(seeds, opts.seed, start, opts.days)
    sim = simulate(seeds, org, customers, incidents, opts.seed, start, opts.days, opts.scale)
    tables: dict[str, TableBuf | pa.Table] = {
        "acd/contact_segments": sim.segments,
        "acd/agent_state_changes": sim.states,
        "wfm/forecasts": derived.forecasts(seeds, sim, opts.seed),
        "crm/customers": (derived.customer_batches if stream else derived.customers_table)(
            seeds, customers, opts.seed, start, opts.days
        ),
        "ops/incidents": derived.incidents_table(incidents, sim.horizon),
        "ops/plan_items": derived.plan_items(seeds, opts.seed, start, opts.days),
    }
    tables.update(org.tables)
    tables.update(derived.crm_and_surveys(seeds, org, customers, sim, opts.seed, start, opts.days))
    tables.update(derived.finance(seeds, org, sim, opts.seed, start, opts.days))
    return tables, sim.horizon


def _protection(prepared: dict[str, writer.Prepared]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per table: (rows never to corrupt, rows whose key must not be corrupted)."""
    out = {}
    referenced: set[str] = set()
    for tid in ("survey/contact_surveys", "qa/evaluations", "crm/next_best_actions", "crm/case_segments"):
        referenced.update(x for x in prepared[tid].raw.column("segment_id").to_pylist() if x)
    seg = prepared["acd/contact_segments"].raw
    prev = seg.column("previous_segment_id").to_pylist()
    referenced.update(x for x in prev if x)
    ids = seg.column("segment_id").to_pylist()
    seg_prot = np.array([(s in referenced) or (p is not None) for s, p in zip(ids, prev)], dtype=bool)
    eval_ids = set(prepared["qa/evaluation_items"].raw.column("evaluation_id").to_pylist())
    case_ids = set(prepared["crm/case_segments"].raw.column("case_id").to_pylist())
    for tid, prep in prepared.items():
        n = prep.raw.num_rows
        full = writer.protect_latest_versions(prep.raw, prep.table)
        keyp = np.zeros(n, dtype=bool)
        if tid == "acd/contact_segments":
            full = full | seg_prot
        elif tid == "qa/evaluations":
            keyp = np.array([x in eval_ids for x in prep.raw.column("evaluation_id").to_pylist()], dtype=bool)
        elif tid == "crm/cases":
            keyp = np.array([x in case_ids for x in prep.raw.column("case_id").to_pylist()], dtype=bool)
        if prep.redelivery is not None:
            full[prep.redelivery] = True
        out[tid] = (full, keyp | full)
    return out


def generate(opts: GeneratorOptions) -> str:
    """Generate the landing files into ``opts.out``; return a short human summary."""
    t0 = time.perf_counter()
    if opts.fmt not in ("parquet", "csv"):
        raise ValueError("fmt must be parquet or csv")
    start = resolve_start(opts)
    end = start + timedelta(days=opts.days - 1)
    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    _clean(out)
    # Without bad rows no table needs another's rows once simulated, so each table is written as soon as it
    # is converted and then freed, and the customer extract is built day by day: this keeps the peak memory
    # near that of the simulation itself. Injecting bad rows needs every table at once (protected rows).
    stream = opts.bad_rows <= 0
    tables, horizon = build_tables(opts, start, stream=stream)
    t_sim = time.perf_counter() - t0

    prepared: dict[str, writer.Prepared] = {}
    files: dict[str, dict[str, int]] = {}
    records: list[dict] = []
    for t in TABLES:
        src = tables.pop(t.id)
        files[t.id] = {}
        if isinstance(src, (TableBuf, pa.Table)):
            preps: Iterator[writer.Prepared] = iter([_prepare(t, src, opts, start)])
            del src  # the Python row lists are freed once converted
        else:  # daily Arrow tables
            preps = (_prepare(t, part, opts, start) for part in src)
        for prep in preps:
            if stream:
                f, r = writer.write_table(out, prep, opts.fmt)
                files[t.id].update(f)
                records += r
            else:
                prepared[t.id] = prep
            del prep
        del preps

    if not stream:
        prot = _protection(prepared)
        for t in TABLES:
            full, keyp = prot[t.id]
            _inject(prepared[t.id], opts.bad_rows, full, keyp, opts.seed)
        for t in TABLES:
            f, r = writer.write_table(out, prepared.pop(t.id), opts.fmt)
            files[t.id] = f
            records += r
    writer.write_bad_rows(out, records)
    rows = {tid: sum(f.values()) for tid, f in files.items()}
    writer.write_manifest(
        out,
        {
            "options": {k: v for k, v in asdict(opts).items() if k != "out"},
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "horizon_utc": datetime.fromtimestamp(horizon, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "rows_per_table": rows,
            "rows_per_file": dict(files.items()),
            "bad_rows": len(records),
        },
    )
    secs = time.perf_counter() - t0
    width = max(len(k) for k in rows)
    lines = [f"switchboard generate: {start} .. {end}, seed {opts.seed}, scale {opts.scale:g}, {opts.fmt} -> {out}"]
    lines += [f"  {k:<{width}}  {v:>10,}" for k, v in rows.items()]
    lines.append(f"  {'total rows':<{width}}  {sum(rows.values()):>10,}")
    if opts.bad_rows > 0:
        lines.append(f"  bad rows injected: {len(records):,} (see _generator/bad_rows.csv)")
    lines.append(f"  {secs:.1f} s (simulation {t_sim:.1f} s)")
    return "\n".join(lines)


def _prepare(t, rows: TableBuf | pa.Table, opts: GeneratorOptions, start: date) -> writer.Prepared:
    """One table's rows (or one day of them) in raw Arrow types, with extract times and the re-delivery."""
    raw = writer.raw_table(rows, t)
    batch = raw.column("__batch").to_numpy()
    prep = writer.Prepared(t, raw, writer.extracted_at(t.id, batch))
    if t.id in REDELIVERED and raw.num_rows:
        rng = np_rng(opts.seed, f"redelivery:{t.id}")
        mid_day = day_number(start + timedelta(days=opts.days // 2))
        rows_ = np.nonzero(batch == mid_day)[0]
        if len(rows_) == 0:
            rows_ = np.nonzero(batch == batch[len(batch) // 2])[0]
        size = max(1, len(rows_) // 4)
        prep.redelivery = np.sort(rng.choice(rows_, size=size, replace=False))
    return prep


def _inject(prep: writer.Prepared, rate: float, full: np.ndarray, keyp: np.ndarray, seed: int) -> None:
    """Inject bad rows: no rule touches ``full`` rows; null_key also avoids rows whose key others reference."""
    writer.inject_bad_rows(prep, rate, full, seed, key_protected=keyp)
