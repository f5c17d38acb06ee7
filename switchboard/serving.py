"""Safe serving: BI tools read a published copy of the warehouse, never the file dbt writes.

DuckDB admits one writer process or many readers of a file, never both, so a BI tool holding the build file
open makes ``dbt build`` fail, and a reader during a build sees a lock error or a half-built mart. Here the
build writes its own file (``SWITCHBOARD_DB_PATH``); only after ``dbt build`` (with its tests) succeeded,
``publish`` copies the BI surface into a new DuckDB file beside the served one and renames it over the served
path. A rename is atomic on a POSIX file system: a reader that opens the path gets either the old complete file
or the new complete one, and a reader holding the old file open keeps reading the old inode until it
reconnects. The replaced file stays as ``<name>.previous.duckdb`` for one ``rollback``.

Served schemas: ``marts`` (every table), ``reference`` (the seeds), ``data_quality`` (the audit and quarantine
tables, wherever the build put them) and ``meta`` (``publication``, ``landing_freshness``). See docs/serving.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import duckdb
import yaml

from switchboard import settings
from switchboard.contract import TABLES, Table
from switchboard.errors import EXIT_BUSY

# Environment variable naming the served file (the dashboard and summary read it too).
SERVED_PATH_ENV = "SWITCHBOARD_SERVED_PATH"
SERVED_SCHEMAS = ("marts", "reference", "data_quality", "meta")
# The data-quality tables readers get, from the build's data_quality schema.
DATA_QUALITY_TABLES = ("audit_reconciliation", "audit_quarantine_summary")
DATA_QUALITY_PREFIX = "quarantine_"
DATA_QUALITY_SCHEMAS = ("data_quality",)
ENGINES = ("duckdb", "spark")
# How long a publisher waits for another publisher to finish before giving up.
PUBLISH_LOCK_WAIT_S = 300.0


class ServingError(Exception):
    """A publication or a served read that cannot proceed; the CLI prints the message without a traceback."""


class ServingBusy(ServingError):
    """Another process holds the file (another build or publication): the CLI exits 3, retry later."""

    exit_code = EXIT_BUSY


def served_path() -> Path:
    """The file BI tools read: $SWITCHBOARD_SERVED_PATH, default <dir of the build file>/served/switchboard.duckdb."""
    env = os.environ.get(SERVED_PATH_ENV)
    return Path(env) if env else settings.db_path().parent / "served" / "switchboard.duckdb"


def previous_path(served: Path | None = None) -> Path:
    """The version a publication replaced, kept for one rollback."""
    served = served or served_path()
    return served.with_name(f"{served.stem}.previous{served.suffix}")


def state_path(build: Path | None = None) -> Path:
    """The build's state file: whether the last build through ``run_build`` is running, succeeded or failed."""
    build = build or settings.db_path()
    return build.with_name(f"{build.name}.state.json")


def connect_served(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the served file; ``ServingError`` when nothing is published yet.

    The file is attached to a fresh in-memory database rather than opened with ``duckdb.connect(path)``: DuckDB
    caches one database instance per path in a process, so a long-lived process (the dashboard) that still holds
    a connection would otherwise keep seeing the file it first opened after a publication renamed a new one in.
    """
    path = Path(path) if path else served_path()
    if not path.is_file():
        raise ServingError(
            f"nothing is published at {path} yet: run `switchboard build` (validate, dbt build, publish) "
            "or `switchboard publish` after a successful dbt build"
        )
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach '{_sql_text(path)}' as served (read_only)")
        con.execute("use served")
    except duckdb.Error as exc:
        con.close()
        raise ServingError(f"cannot open the served warehouse {path} read-only: {exc}") from exc
    return con


def _sql_text(value: object) -> str:
    return str(value).replace("'", "''")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --------------------------------------------------------------------------------------------------- freshness
def freshness_thresholds(project_dir: Path = settings.PROJECT_DIR) -> dict[str, tuple[float, float] | None]:
    """(warn, error) hours by delivery cadence, from the dbt project's vars (the same ones dbt source freshness
    uses); ``None`` for feeds delivered only on change, which have no freshness check."""
    vars_ = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]

    def hours(cadence: str, level: str) -> float:
        infix = "" if cadence == "daily" else f"{cadence}_"
        return float(vars_[f"landing_freshness_{infix}{level}_hours"])

    out: dict[str, tuple[float, float] | None] = {"on_change": None}
    for cadence in ("daily", "weekly", "monthly"):
        out[cadence] = (hours(cadence, "warn"), hours(cadence, "error"))
    return out


@dataclass
class Freshness:
    """One landing table's delivery state: its files, rows, latest ``_extracted_at`` and status by cadence."""

    table: Table
    files: int
    rows: int
    max_extracted_at: dt.datetime | None
    age_hours: float | None
    warn_after_hours: float | None
    error_after_hours: float | None
    status: str  # pass | warn | error | no_data | not_checked

    def message(self) -> str:
        if self.status == "not_checked":
            return f"{self.table.id}: delivered only on change, no freshness check ({self.files} file(s))"
        if self.status == "no_data":
            return f"{self.table.id}: no rows landed (its {self.table.cadence} feed has never delivered)"
        return (
            f"{self.table.id}: latest _extracted_at {self.max_extracted_at:%Y-%m-%d %H:%M} UTC is "
            f"{self.age_hours:,.1f} h old ({self.table.cadence} feed: warn after {self.warn_after_hours:g} h, "
            f"error after {self.error_after_hours:g} h) -> {self.status}"
        )


def table_files(root: Path, table: Table) -> list[Path]:
    folder = root / table.system / table.name
    if not folder.is_dir():
        return []
    # the data files the build reads (any letter case: the door reads `*.PARQUET` too)
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".parquet", ".csv") and p.is_file())


def landing_files(root: Path) -> dict[str, list[Path]]:
    """Every landing table's readable files (``*.parquet``, ``*.csv``), by table id."""
    return {t.id: table_files(root, t) for t in TABLES}


def landing_freshness(root: Path, now: dt.datetime | None = None) -> list[Freshness]:
    """Rows and the latest ``_extracted_at`` of every landing table, read from the files with DuckDB (one
    column of each file), and the status by the table's delivery cadence at ``now`` (UTC)."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(tzinfo=None)
    limits = freshness_thresholds()
    out = []
    with duckdb.connect(":memory:") as con:
        con.execute("set TimeZone = 'UTC'")
        for table, files in ((t, table_files(root, t)) for t in TABLES):
            rows, latest = 0, None
            for suffix, reader in (
                (".parquet", "read_parquet({files}, union_by_name = true)"),
                (".csv", "read_csv({files}, union_by_name = true, all_varchar = true)"),
            ):
                group = [str(f) for f in files if f.suffix.lower() == suffix]
                if not group:
                    continue
                n, m = con.execute(
                    "select count(*), max(cast(try_cast(_extracted_at as timestamptz) as timestamp)) from "
                    + reader.format(files="?"),
                    [group],
                ).fetchone()
                rows += n
                latest = m if latest is None or (m is not None and m > latest) else latest
            limit = limits[table.cadence]
            age = (now - latest).total_seconds() / 3600 if latest is not None else None
            if limit is None:
                status = "not_checked"
            elif latest is None:
                status = "no_data"
            else:
                status = "error" if age > limit[1] else "warn" if age > limit[0] else "pass"
            out.append(Freshness(table, len(files), rows, latest, age, limit and limit[0], limit and limit[1], status))
    return out


# ------------------------------------------------------------------------------------------------ build state
@dataclass
class BuildInfo:
    """What a publication records about the build it copies."""

    engine: str = "duckdb"
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    landing: Path | None = None


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def write_state(build: Path, status: str, info: BuildInfo, detail: str = "") -> None:
    """Record the build's state beside its file (running / succeeded / failed), so a later ``publish`` can refuse
    to copy a build that did not finish."""
    record = {
        "status": status,
        "engine": info.engine,
        "detail": detail,
        "started_at": info.started_at.isoformat() if info.started_at else None,
        "finished_at": info.finished_at.isoformat() if info.finished_at else None,
        "landing": str(info.landing) if info.landing else None,
    }
    path = state_path(build)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_state(build: Path) -> dict | None:
    path = state_path(build)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def build_file_busy(build: Path) -> str | None:
    """The lock error when another process holds the build file (a transient failure worth retrying), else None."""
    if not build.exists():
        return None
    try:
        duckdb.connect(str(build)).close()
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            return str(exc).splitlines()[0]
        raise
    return None


# --------------------------------------------------------------------------------------------------- publish
@dataclass
class Publication:
    """The result of a publication: where, what, how long, how big."""

    served: Path
    tables: dict[str, int] = field(default_factory=dict)  # "schema.table" -> rows
    seconds: float = 0.0
    bytes: int = 0
    published_at: dt.datetime | None = None

    def summary(self) -> str:
        schemas = sorted({k.split(".", 1)[0] for k in self.tables})
        return (
            f"published {self.served} at {self.published_at:%Y-%m-%d %H:%M:%S} UTC: {len(self.tables)} tables "
            f"({', '.join(schemas)}), {self.bytes / 1e6:,.1f} MB in {self.seconds:.1f} s"
        )


@contextlib.contextmanager
def _publish_lock(served: Path, wait_s: float = PUBLISH_LOCK_WAIT_S) -> Iterator[None]:
    """One publisher at a time per served file (readers are never blocked: they do not take this lock)."""
    served.parent.mkdir(parents=True, exist_ok=True)
    with open(served.with_name(f".{served.name}.publish.lock"), "w") as handle:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ServingBusy(
                        f"another publication of {served} has not finished after {wait_s:.0f} s"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _duckdb_sources(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    """(served schema, table) -> the relation to copy, from the attached build file ``build``."""
    rows = con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = 'build' "
        "union all select schema_name, view_name from duckdb_views() where database_name = 'build' "
        "and not internal and schema_name = 'marts'"
    ).fetchall()
    return _select_served(rows, lambda s, t: f"build.{_ident(s)}.{_ident(t)}")


def _spark_sources(warehouse: Path) -> dict[tuple[str, str], str]:
    """(served schema, table) -> a Parquet scan of the table Spark wrote under <warehouse>/<schema>.db/<table>."""
    rows = []
    for schema_dir in sorted(warehouse.glob("*.db")):
        for table_dir in sorted(p for p in schema_dir.iterdir() if p.is_dir()):
            if any(table_dir.rglob("*.parquet")):
                rows.append((schema_dir.name[: -len(".db")], table_dir.name))
    return _select_served(
        rows,
        lambda s, t: f"read_parquet('{_sql_text(warehouse / (s + '.db') / t)}/**/*.parquet', union_by_name = true)",
    )


def _select_served(rows: list[tuple[str, str]], relation) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for schema, table in rows:
        if schema in ("marts", "reference"):
            out[(schema, table)] = relation(schema, table)
        elif (
            schema in DATA_QUALITY_SCHEMAS
            and _is_data_quality(table)
            and (
                # the data_quality schema wins over a stale copy left in staging by an older build
                ("data_quality", table) not in out or schema == "data_quality"
            )
        ):
            out[("data_quality", table)] = relation(schema, table)
    return out


def _is_data_quality(table: str) -> bool:
    return table in DATA_QUALITY_TABLES or table.startswith(DATA_QUALITY_PREFIX)


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(settings.PROJECT_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def _write_meta(con: duckdb.DuckDBPyConnection, info: BuildInfo, published_at: dt.datetime) -> None:
    con.execute("create schema meta")
    con.execute(
        "create table meta.publication (published_at timestamp, build_started_at timestamp, "
        "build_finished_at timestamp, git_commit varchar, dbt_version varchar, engine varchar, landing_root varchar)"
    )
    utc = [
        None if t is None else t.astimezone(dt.UTC).replace(tzinfo=None)
        for t in (published_at, info.started_at, info.finished_at)
    ]
    try:
        dbt_version = metadata.version("dbt-core")
    except metadata.PackageNotFoundError:
        dbt_version = None
    con.execute(
        "insert into meta.publication values (?, ?, ?, ?, ?, ?, ?)",
        [*utc, _git_commit(), dbt_version, info.engine, str(info.landing) if info.landing else None],
    )
    con.execute(
        "create table meta.landing_freshness (table_id varchar, system varchar, table_name varchar, "
        "cadence varchar, files bigint, rows bigint, max_extracted_at timestamp, age_hours double, "
        "warn_after_hours double, error_after_hours double, status varchar, checked_at timestamp)"
    )
    if info.landing and Path(info.landing).is_dir():
        rows = [
            (
                f.table.id,
                f.table.system,
                f.table.name,
                f.table.cadence,
                f.files,
                f.rows,
                f.max_extracted_at,
                f.age_hours,
                f.warn_after_hours,
                f.error_after_hours,
                f.status,
                utc[0],
            )
            for f in landing_freshness(Path(info.landing), published_at)
        ]
        con.executemany("insert into meta.landing_freshness values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _check_build(build: Path, force: bool) -> None:
    state = read_state(build)
    if state and state["status"] != "succeeded" and not force:
        raise ServingError(
            f"the last build of {build} {'did not finish' if state['status'] == 'running' else 'failed'} "
            f"(started {state['started_at']}): nothing published; the served file is unchanged. "
            "Run `switchboard build` again (or pass --force to publish the build file as it is)"
        )


def publish(
    build: Path | None = None,
    served: Path | None = None,
    *,
    info: BuildInfo | None = None,
    spark_warehouse: Path | None = None,
    force: bool = False,
) -> Publication:
    """Copy the build's BI surface into a new file and rename it over the served path (atomic).

    ``build`` is the DuckDB file dbt wrote (default $SWITCHBOARD_DB_PATH); with ``info.engine == 'spark'`` the
    tables are read from ``spark_warehouse`` (Spark's Parquet files) instead. The served file is replaced only
    once the new one is complete, closed and synced; the replaced one becomes ``previous_path()``.
    """
    started = time.perf_counter()
    info = info or BuildInfo(landing=settings.landing_dir())
    build = Path(build) if build else settings.db_path()
    served = Path(served) if served else served_path()
    if info.engine == "duckdb" and not build.is_file():
        raise ServingError(f"no build at {build}: run `switchboard build` (or dbt build) first")
    if info.engine == "spark" and not (spark_warehouse and Path(spark_warehouse).is_dir()):
        raise ServingError(f"no Spark warehouse at {spark_warehouse}: run `switchboard build --target spark` first")
    _check_build(build, force)
    with _publish_lock(served):
        tmp = served.with_name(f".{served.name}.{os.getpid()}.new")
        tmp.unlink(missing_ok=True)
        published_at = utc_now()
        pub = Publication(served=served, published_at=published_at)
        try:
            with duckdb.connect(str(tmp)) as con:
                con.execute("set TimeZone = 'UTC'")
                if info.engine == "duckdb":
                    try:
                        con.execute(f"attach '{_sql_text(build)}' as build (read_only)")
                    except duckdb.IOException as exc:
                        raise ServingError(
                            f"cannot read the build file {build}: {str(exc).splitlines()[0]} "
                            "(is a build still running?)"
                        ) from exc
                    sources = _duckdb_sources(con)
                else:
                    sources = _spark_sources(Path(spark_warehouse))
                if not any(schema == "marts" for schema, _ in sources):
                    raise ServingError(f"the build {build} has no marts tables: nothing published")
                for schema in ("marts", "reference", "data_quality"):
                    con.execute(f"create schema if not exists {schema}")
                for (schema, table), relation in sorted(sources.items()):
                    con.execute(f"create table {schema}.{_ident(table)} as select * from {relation}")
                    pub.tables[f"{schema}.{table}"] = con.execute(
                        f"select count(*) from {schema}.{_ident(table)}"
                    ).fetchone()[0]
                _write_meta(con, info, published_at)
                if info.engine == "duckdb":
                    con.execute("detach build")
                con.execute("checkpoint")
            _fsync(tmp)
            previous = previous_path(served)
            if served.exists():
                keep = previous.with_name(previous.name + ".new")
                keep.unlink(missing_ok=True)
                os.link(served, keep)  # the old inode gets a second name; open readers are unaffected
                os.replace(keep, previous)
            os.replace(tmp, served)
            _fsync(served.parent)
        except duckdb.Error as exc:
            raise ServingError(f"publication failed, the served file is unchanged: {exc}") from exc
        finally:
            tmp.unlink(missing_ok=True)
            Path(str(tmp) + ".wal").unlink(missing_ok=True)
    pub.seconds = time.perf_counter() - started
    pub.bytes = served.stat().st_size
    return pub


def rollback(served: Path | None = None) -> str:
    """Swap the served file with the previous version (atomic); a second rollback swaps them back."""
    served = Path(served) if served else served_path()
    previous = previous_path(served)
    with _publish_lock(served):
        if not previous.is_file():
            raise ServingError(f"no previous version at {previous}: nothing to roll back to")
        keep = served.with_name(f".{served.name}.rollback")
        keep.unlink(missing_ok=True)
        if served.exists():
            os.link(served, keep)
        os.replace(previous, served)
        if keep.exists():
            os.replace(keep, previous)
        _fsync(served.parent)
    with contextlib.closing(connect_served(served)) as con:
        (published_at,) = con.execute("select published_at from meta.publication").fetchone()
    return (
        f"rolled back {served} to the publication of {published_at:%Y-%m-%d %H:%M:%S} UTC ({previous} holds the other)"
    )


# ------------------------------------------------------------------------------------------------------ build
def dbt_executable() -> str:
    """The dbt next to this Python (the venv's bin) when there is one, else ``dbt`` from PATH."""
    local = Path(sys.executable).with_name("dbt")
    return str(local) if local.exists() else "dbt"


def spark_warehouse() -> Path:
    """Where the Spark target writes its tables (profiles/profiles.yml: $SWITCHBOARD_SPARK_DIR/warehouse)."""
    return Path(os.environ.get("SWITCHBOARD_SPARK_DIR") or settings.PROJECT_DIR / "build" / "spark") / "warehouse"


def dbt_env(landing: Path, build: Path) -> dict[str, str]:
    """The environment dbt runs with: the landing and build file of this run, the project's profiles."""
    env = dict(os.environ)
    env["SWITCHBOARD_LANDING_DIR"] = str(landing)
    env["SWITCHBOARD_DB_PATH"] = str(build)
    env.setdefault("DBT_PROFILES_DIR", str(settings.PROJECT_DIR / "profiles"))
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    return env


def wait_for_build_file(build: Path, retries: int = 3, base_delay_s: float = 5.0) -> None:
    """Retry with exponential backoff while another process holds the build file; ``ServingError`` after that."""
    for attempt in range(retries + 1):
        busy = build_file_busy(build)
        if busy is None:
            return
        if attempt < retries:
            delay = base_delay_s * 2**attempt
            print(f"build file {build} is busy ({busy}); retrying in {delay:g} s", file=sys.stderr)
            time.sleep(delay)
    raise ServingBusy(f"build file {build} is still busy after {retries} retries: {busy}")


def compact_build_file(build: Path) -> tuple[int, int]:
    """Rewrite the build file without its free blocks; returns (bytes before, bytes after).

    ``dbt build`` replaces every table: DuckDB writes the new one while the old still exists and then only marks
    the old blocks free, so a second build of the same landing left the file nearly twice as large (37.5 -> 61.6
    MB on the demo) and it never shrank. ``COPY FROM DATABASE`` into a new file and a rename give back the size of
    a first build, keeping every table, view and macro (incremental models included). The source is attached
    under its own name (the file's stem, the name dbt qualifies relations with) so its views bind as they do for
    dbt. Runs inside ``build_lock``, after a successful build and before the publication.
    """
    before = build.stat().st_size
    tmp = build.with_name(f".{build.name}.{os.getpid()}.compact")
    tmp.unlink(missing_ok=True)
    try:
        with duckdb.connect() as con:
            con.execute(f"attach '{_sql_text(build)}' as {_ident(build.stem)} (read_only)")
            con.execute(f"attach '{_sql_text(tmp)}' as compacted")
            con.execute(f"copy from database {_ident(build.stem)} to compacted")
            con.execute("checkpoint compacted")
        _fsync(tmp)
        os.replace(tmp, build)
        Path(str(build) + ".wal").unlink(missing_ok=True)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return before, build.stat().st_size


@contextlib.contextmanager
def build_lock(build: Path) -> Iterator[None]:
    """One ``switchboard build`` per build file; a second one fails at once with a clear message."""
    build.parent.mkdir(parents=True, exist_ok=True)
    with open(build.with_name(f".{build.name}.build.lock"), "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ServingBusy(f"another `switchboard build` of {build} is running") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_build(
    landing: Path,
    *,
    build: Path | None = None,
    served: Path | None = None,
    target: str = "duckdb",
    dbt_args: list[str] | None = None,
    retries: int = 3,
) -> int:
    """``switchboard build``: validate the landing, ``dbt build``, and publish only when both succeeded.

    Returns the exit code: 0 published; 1 validation or dbt failed (nothing published, the served file is
    unchanged); ``ServingError`` for a busy build file or a failed publication.
    """
    from switchboard.validation import validate_landing

    build = Path(build) if build else settings.db_path()
    landing = Path(landing).resolve()
    if target not in ENGINES:
        raise ServingError(f"unknown target {target!r}: choose one of {', '.join(ENGINES)}")
    with build_lock(build):
        if validate_landing(landing, docs_dir=build.parent / "data_docs") != 0:
            print("switchboard: error: landing validation failed: dbt did not run, nothing published", file=sys.stderr)
            return 1
        if target == "duckdb":
            wait_for_build_file(build, retries)
        info = BuildInfo(engine=target, started_at=utc_now(), landing=landing)
        write_state(build, "running", info)
        cmd = [dbt_executable(), "build", "--target", target, *(dbt_args or [])]
        print("switchboard build: " + " ".join(cmd), flush=True)
        rc = subprocess.run(cmd, cwd=settings.PROJECT_DIR, env=dbt_env(landing, build), check=False).returncode
        info.finished_at = utc_now()
        if rc != 0:
            write_state(build, "failed", info, f"dbt build exited {rc}")
            where = served or served_path()
            print(
                f"switchboard: error: dbt build failed (exit {rc}): nothing published; readers keep "
                f"{where}{'' if where.exists() else ' (not published yet)'} as it was",
                file=sys.stderr,
            )
            return 1
        write_state(build, "succeeded", info)
        if target == "duckdb":
            try:
                before, after = compact_build_file(build)
                print(f"switchboard build: build file compacted {before / 1e6:.1f} -> {after / 1e6:.1f} MB")
            except (duckdb.Error, OSError) as exc:  # the build stays valid, only larger
                print(f"switchboard build: build file not compacted: {exc}", file=sys.stderr)
        pub = publish(build, served, info=info, spark_warehouse=spark_warehouse() if target == "spark" else None)
        print("switchboard build: " + pub.summary())
        return 0
