"""The one writer every importer uses: contract-shaped Parquet batches and the import report.

A batch is written by DuckDB's COPY straight from the mapping query, every contract column cast to its
contract type (timestamps as UTC instants), so a million rows never pass through Python. The batch's file
name is a digest of the input files (path, size, modification time) and the options: importing the same
files again rewrites the same file with the same rows (idempotent); a later export lands as a new batch and
the warehouse keeps the latest `_extracted_at` per key.

The report (`<out>/_import/report.json`, and a summary printed) accounts for every input record: read =
written + skipped, skipped per reason with examples; it lists vendor values no mapping knew, the queues and
agents found, and what the seeds (`queues`, `sites`) and the HR extract still need for them, with a
ready-to-edit `queues` seed draft (`<out>/_import/queues_seed_draft.csv`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from switchboard import contract, settings
from switchboard.importers.reader import sql_text

REPORT_DIR = "_import"
# seed `queues` defaults by channel for the draft: the contract's examples (20 s voice, 60 s chat, 4 h e-mail)
DRAFT_THRESHOLDS = {"voice": (20, 5), "chat": (60, 10), "email": (14400, 0), "sms": (60, 10), "social": (60, 10)}
TODO = "TODO"


def digest(files: list[Path], options: dict) -> str:
    """A short, stable name for a batch: the same inputs and options give the same file."""
    h = hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode())
    for path in sorted(files):
        st = os.stat(path)
        h.update(f"{path}|{st.st_size}|{int(st.st_mtime)}".encode())
    return h.hexdigest()[:16]


def write_batch(con: duckdb.DuckDBPyConnection, out: Path, table_id: str, relation: str, batch: str) -> int:
    """Write `relation` (a table or view holding the contract columns) as `<out>/<table>/<batch>.parquet`.

    Returns the row count; no file is written for no rows (an empty table is a missing folder, not an error).
    """
    table = contract.table(table_id)
    rows = con.execute(f"select count(*) from {relation}").fetchone()[0]
    folder = out / table.system / table.name
    target = folder / f"{batch}.parquet"
    if rows == 0:
        target.unlink(missing_ok=True)
        return 0
    folder.mkdir(parents=True, exist_ok=True)
    cols = ", ".join(
        f'cast("{c.name}" as {"timestamptz" if c.type == "ts" else contract.SQL_TYPES[c.type]}) as "{c.name}"'
        for c in table.columns
    )
    tmp = folder / f".{batch}.parquet.tmp"
    con.execute(f"copy (select {cols} from {relation}) to {sql_text(str(tmp))} (format parquet, compression zstd)")
    tmp.replace(target)
    return rows


@dataclass
class RecordKind:
    """Counts of one kind of input record (contact records, agent events, conversations, user details)."""

    read: int = 0
    written: int = 0
    skipped: dict[str, dict] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "read": self.read,
            "written": self.written,
            "skipped_total": sum(s["count"] for s in self.skipped.values()),
            "skipped": self.skipped,
        }


@dataclass
class ImportReport:
    """Everything the user needs to know about one import; written as JSON and printed as a summary."""

    vendor: str
    out: Path
    options: dict
    inputs: dict[str, list[str]] = field(default_factory=dict)
    records: dict[str, RecordKind] = field(default_factory=dict)
    rows_written: dict[str, int] = field(default_factory=dict)
    files_written: list[str] = field(default_factory=list)
    unmapped: dict[str, dict[str, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    queues: list[dict] = field(default_factory=list)
    agents: list[dict] = field(default_factory=list)
    needs: dict[str, object] = field(default_factory=dict)

    @classmethod
    def begin(cls, vendor: str, opts: object, inputs: dict[str, list[Path]]) -> tuple[ImportReport, str]:
        """A report for one run of `vendor` and its batch name: the options are every field of the options
        dataclass except the inputs and `out`; the batch is named by the vendor and the digest of inputs and
        options (the same run again writes the same file)."""
        options = {
            k: str(v) if isinstance(v, Path) else v for k, v in vars(opts).items() if k not in inputs and k != "out"
        }
        report = cls(vendor, opts.out, options, inputs={k: [str(p) for p in v] for k, v in inputs.items()})
        files = [p for paths in inputs.values() for p in paths]
        return report, vendor.replace("-", "_") + "_" + digest(files, options)

    def count_records(
        self,
        con: duckdb.DuckDBPyConnection,
        kind: str,
        relation: str,
        malformed: int = 0,
        malformed_examples: list[dict] | None = None,
    ) -> RecordKind:
        """Count `relation` (one row per input record: `skip_reason` null = written, `example` text) into `kind`.

        Malformed pieces from the reader are records that could not be parsed: skipped as `malformed_json`.
        """
        counts = RecordKind()
        for reason, n, examples in con.execute(f"""
            select skip_reason, count(*), list(example order by example)[1:3]
            from {relation} group by skip_reason order by skip_reason nulls first
        """).fetchall():
            counts.read += n
            if reason is None:
                counts.written = n
            else:
                counts.skipped[reason] = {"count": n, "examples": examples}
        if malformed:
            counts.read += malformed
            counts.skipped["malformed_json"] = {
                "count": malformed,
                "examples": [f"{e['file']} line {e['line']}: {e['text']}" for e in (malformed_examples or [])][:3],
            }
        self.records[kind] = counts
        return counts

    def add_unmapped(self, con: duckdb.DuckDBPyConnection, name: str, sql: str) -> None:
        """Record vendor values no mapping table knew (`sql` returns value, count); never guessed silently."""
        found = {str(v): n for v, n in con.execute(sql).fetchall() if n}
        if found:
            self.unmapped[name] = found

    def add_batch(self, con: duckdb.DuckDBPyConnection, table_id: str, relation: str, batch: str) -> None:
        rows = write_batch(con, self.out, table_id, relation, batch)
        self.rows_written[table_id] = self.rows_written.get(table_id, 0) + rows
        if rows:
            self.files_written.append(f"{table_id}/{batch}.parquet")

    def find_entities(self, con: duckdb.DuckDBPyConnection, segments: str | None, states: str | None) -> None:
        """Queues and agents in what was written, against the project's seeds, and the draft queue seed."""
        seeded = _seed_queue_ids()
        if segments:
            for queue_id, channel, n, outbound in con.execute(f"""
                select queue_id, mode(channel), count(*), bool_and(direction = 'outbound')
                from {segments} where queue_id is not null group by queue_id order by queue_id
            """).fetchall():
                self.queues.append(
                    {
                        "queue_id": queue_id,
                        "channel": channel,
                        "segments": n,
                        "is_outbound": bool(outbound),
                        "in_seed": queue_id in seeded,
                    }
                )
        agent_rows: dict[str, dict] = {}
        if segments:
            for agent_id, n in con.execute(
                f"select agent_id, count(*) from {segments} where agent_id is not null group by 1"
            ).fetchall():
                agent_rows.setdefault(agent_id, {"agent_id": agent_id, "segments": 0, "state_changes": 0})
                agent_rows[agent_id]["segments"] = n
        if states:
            for agent_id, n in con.execute(f"select agent_id, count(*) from {states} group by 1").fetchall():
                agent_rows.setdefault(agent_id, {"agent_id": agent_id, "segments": 0, "state_changes": 0})
                agent_rows[agent_id]["state_changes"] = n
        self.agents = [agent_rows[a] for a in sorted(agent_rows)]
        missing = [q for q in self.queues if not q["in_seed"]]
        self.needs = {
            "queues_seed": {
                "missing_queue_ids": [q["queue_id"] for q in missing],
                "why": "contact_segments.queue_id must be in seeds/queues.csv (else the rows are quarantined "
                "as orphan_reference); each queue needs its site, line of business and thresholds",
                "draft": f"{REPORT_DIR}/queues_seed_draft.csv" if missing else None,
            },
            "sites_seed": "every site_id of the queues (seeds/sites.csv: site_id, site_name, country_code, "
            "time_zone, currency); local dates and day rows come from the site's time zone",
            "hr_employees": {
                "agent_ids": [a["agent_id"] for a in self.agents],
                "why": "hr/employees rows with employee_id = agent_id (team, site, fte, hire date) for the team "
                "KPIs and the agent's site; the export holds none of it",
            },
        }
        report_dir = self.out / REPORT_DIR
        report_dir.mkdir(parents=True, exist_ok=True)
        draft = report_dir / "queues_seed_draft.csv"
        if missing:
            _write_queue_draft(draft, missing)
        else:
            draft.unlink(missing_ok=True)

    def as_dict(self) -> dict:
        return {
            "vendor": self.vendor,
            "imported_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "options": self.options,
            "inputs": self.inputs,
            "records": {k: v.as_dict() for k, v in self.records.items()},
            "rows_written": self.rows_written,
            "files_written": self.files_written,
            "unmapped_values": self.unmapped,
            "notes": self.notes,
            "queues_found": self.queues,
            "agents_found": self.agents,
            "needs": self.needs,
        }

    def save(self) -> Path:
        path = self.out / REPORT_DIR / "report.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.as_dict(), indent=2, default=str) + "\n")
        return path

    def summary(self) -> str:
        """The printed summary: counts first, then what still needs the user's attention."""
        lines = [f"switchboard import {self.vendor} -> {self.out}"]
        for kind, c in self.records.items():
            skipped = ", ".join(f"{r} {s['count']:,}" for r, s in sorted(c.skipped.items())) or "none"
            lines.append(
                f"  {kind}: read {c.read:,} = written {c.written:,} + skipped {c.read - c.written:,} ({skipped})"
            )
        for table_id, n in self.rows_written.items():
            lines.append(f"  rows written to {table_id}: {n:,}")
        for name, values in self.unmapped.items():
            shown = ", ".join(f"{v} ({n:,})" for v, n in sorted(values.items())[:6])
            lines.append(f"  unmapped {name}: {shown}")
        missing = [q["queue_id"] for q in self.queues if not q["in_seed"]]
        lines.append(
            f"  queues found: {len(self.queues)} ({len(missing)} not in seeds/queues.csv"
            + (f": draft in {self.out / REPORT_DIR / 'queues_seed_draft.csv'}" if missing else "")
            + ")"
        )
        lines.append(f"  agents found: {len(self.agents)} (need hr/employees rows for team KPIs and sites)")
        for note in self.notes:
            lines.append(f"  note: {note}")
        lines.append(f"  report: {self.out / REPORT_DIR / 'report.json'}")
        return "\n".join(lines)


def _seed_queue_ids() -> set[str]:
    path = settings.SEEDS_DIR / "queues.csv"
    if not path.exists():
        return set()
    with path.open(newline="") as fh:
        return {row["queue_id"] for row in csv.DictReader(fh)}


def _write_queue_draft(path: Path, queues: list[dict]) -> None:
    """Rows in the seed's own columns; what the export cannot know is TODO (site, line of business)."""
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "queue_id",
                "queue_name",
                "channel",
                "line_of_business",
                "site_id",
                "service_level_threshold_s",
                "short_abandon_threshold_s",
                "is_outbound",
            ]
        )
        for q in queues:
            sl, short = DRAFT_THRESHOLDS.get(q["channel"], (20, 5))
            w.writerow(
                [
                    q["queue_id"],
                    q["queue_id"],
                    q["channel"],
                    TODO,
                    TODO,
                    sl,
                    0 if q["is_outbound"] else short,
                    str(q["is_outbound"]).lower(),
                ]
            )
