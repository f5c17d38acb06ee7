"""Dagster definitions of the daily Switchboard run: landing -> validation gate -> dbt build -> publication.

- One asset per landing table (its files, observed: count, bytes, a data version over names, sizes and mtimes),
  with two checks each: ``landing_contract`` (the Great Expectations validation of ``switchboard validate``,
  blocking: a shape failure stops the run before dbt touches the warehouse, the failure message naming file,
  column and expected type) and ``freshness`` (latest ``_extracted_at`` against the feed's delivery cadence, the
  thresholds of dbt's source freshness).
- The dbt project as assets from its manifest (dagster-dbt); data tests are asset checks (dagster-dbt), unit
  tests too (one check per unit test on the model it tests, reported from the same ``dbt build``).
- ``served/switchboard``: the publication (switchboard/serving.py), downstream of every dbt asset, so it runs only
  when ``dbt build`` with its tests succeeded.
- The ``switchboard_daily`` job, a daily schedule, a sensor on new landing files, retries with backoff while the
  build file is busy, and a failure hook that writes a JSON record of what failed.

Settings (environment variables, read when the definitions load): see docs/orchestration.md.
"""

import datetime as dt
import hashlib
import json
import os
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets

from switchboard import serving, settings
from switchboard.contract import TABLES, Table

JOB_NAME = "switchboard_daily"
LANDING_GROUP = "landing"
# Transient failures (the build file locked by another process) are retried this often, waiting
# RETRY_BASE_DELAY_S * 2 ** attempt between attempts.
MAX_RETRIES = 3
RETRY_BASE_DELAY_S = float(os.environ.get("SWITCHBOARD_RETRY_DELAY_S", "30"))


# ----------------------------------------------------------------------------------------------------- settings
def dbt_target() -> str:
    target = os.environ.get("SWITCHBOARD_DBT_TARGET", "duckdb")
    if target not in serving.ENGINES:
        raise ValueError(f"SWITCHBOARD_DBT_TARGET={target!r}: choose one of {', '.join(serving.ENGINES)}")
    return target


def schedule_cron() -> tuple[str, str]:
    """(cron, time zone) of the daily run: $SWITCHBOARD_SCHEDULE_TIME (HH:MM, default 06:00) in
    $SWITCHBOARD_SCHEDULE_TIMEZONE (default UTC)."""
    text = os.environ.get("SWITCHBOARD_SCHEDULE_TIME", "06:00")
    try:
        hour, minute = (int(p) for p in text.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise ValueError(f"SWITCHBOARD_SCHEDULE_TIME={text!r}: expected HH:MM, e.g. 06:00") from None
    return f"{minute} {hour} * * *", os.environ.get("SWITCHBOARD_SCHEDULE_TIMEZONE", "UTC")


def failure_dir() -> Path:
    return Path(
        os.environ.get("SWITCHBOARD_FAILURE_DIR") or settings.PROJECT_DIR / "build" / "orchestration" / "failures"
    )


def _run_dir(run_id: str) -> Path:
    return failure_dir().parent / "runs" / run_id


def landing_key(table: Table) -> dg.AssetKey:
    """The key dagster-dbt gives the dbt source of a landing table (source name = system)."""
    return dg.AssetKey([table.system, table.name])


# ------------------------------------------------------------------------------------------------------ landing
def _observe(root: Path, table: Table, files: list[Path]) -> dg.MaterializeResult:
    stats = [(f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files]
    version = hashlib.sha256(json.dumps(stats).encode()).hexdigest()[:16]
    return dg.MaterializeResult(
        asset_key=landing_key(table),
        data_version=dg.DataVersion(version),
        metadata={
            "folder": dg.MetadataValue.path(str(root / table.system / table.name)),
            "files": len(files),
            "bytes": sum(s[1] for s in stats),
            "latest_file": max((s[0] for s in stats), default=""),
            "cadence": table.cadence,
        },
    )


@dg.multi_asset(
    name="landing_files",
    specs=[
        dg.AssetSpec(
            landing_key(t),
            group_name=LANDING_GROUP,
            description=t.description,
            metadata={"contract_columns": len(t.columns), "cadence": t.cadence},
            kinds={"parquet"},
        )
        for t in TABLES
    ],
    can_subset=True,
)
def landing_files(context: dg.AssetExecutionContext) -> Iterator[dg.MaterializeResult]:
    """Observe the landing files of each table (nothing is copied: dbt reads them in place)."""
    root = settings.landing_dir()
    for table in TABLES:
        if landing_key(table) in context.selected_asset_keys:
            yield _observe(root, table, serving.table_files(root, table))


def _landing_checks(name: str, tables: list[Table], blocking: bool, describe) -> list[dg.AssetCheckSpec]:
    """One check called ``name`` on each landing table's asset."""
    return [dg.AssetCheckSpec(name, asset=landing_key(t), blocking=blocking, description=describe(t)) for t in tables]


@dg.multi_asset_check(
    name="landing_validation",
    specs=_landing_checks(
        "landing_contract",
        list(TABLES),
        blocking=True,
        describe=lambda t: (
            "Shape (columns, Parquet types) and row-level expectations of the landing contract "
            "(Great Expectations, as `switchboard validate`)"
        ),
    ),
)
def landing_validation(context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult]:
    """The validation gate: one GX run over the whole landing; a shape problem fails the run before dbt."""
    from switchboard.validation import RESULT_FILE, validate_landing

    root = settings.landing_dir()
    docs = _run_dir(context.run.run_id) / "data_docs"
    code = validate_landing(root, docs_dir=docs)
    result = json.loads((docs.parent / RESULT_FILE).read_text(encoding="utf-8")) if code != 2 else None
    if result is None:
        raise dg.Failure(
            description=f"landing validation failed: landing root {root} is not a directory",
            metadata={"what": "landing validation"},
        )
    records = {r["table"]: r for r in result["tables"]}
    for table in TABLES:
        rec = records[table.id]
        yield dg.AssetCheckResult(
            asset_key=landing_key(table),
            check_name="landing_contract",
            passed=not rec["shape_problems"],
            metadata={
                "files": rec["files"],
                "rows": rec["rows"] or 0,
                "shape_problems": dg.MetadataValue.json(rec["shape_problems"]),
                "row_level_warnings": len(rec["warnings"]),
                "data_docs": result["data_docs"],
            },
        )
    if result["errors"]:
        files = sorted({e.split(":", 1)[0] for e in result["errors"]})
        raise dg.Failure(
            description="landing validation failed, dbt did not run: " + "; ".join(result["errors"][:20]),
            metadata={
                "what": "landing validation",
                "files": dg.MetadataValue.json(files),
                "errors": dg.MetadataValue.json(result["errors"]),
            },
        )


@dg.multi_asset_check(
    name="landing_freshness",
    specs=_landing_checks(
        "freshness",
        [t for t in TABLES if t.cadence != "on_change"],
        blocking=False,
        describe=lambda t: f"Latest _extracted_at against the {t.cadence} delivery cadence",
    ),
)
def landing_freshness(context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult]:
    """dbt's source freshness, per feed cadence: warn / error after the project's landing_freshness_* hours."""
    for f in serving.landing_freshness(settings.landing_dir()):
        if f.status == "not_checked":
            continue
        yield dg.AssetCheckResult(
            asset_key=landing_key(f.table),
            check_name="freshness",
            passed=f.status == "pass",
            severity=dg.AssetCheckSeverity.ERROR if f.status == "error" else dg.AssetCheckSeverity.WARN,
            description=f.message(),
            metadata={
                "files": f.files,
                "rows": f.rows,
                "status": f.status,
                "max_extracted_at": str(f.max_extracted_at),
                "age_hours": f.age_hours or 0.0,
            },
        )


# ---------------------------------------------------------------------------------------------------------- dbt
class SwitchboardTranslator(DagsterDbtTranslator):
    """dbt models grouped by their layer (staging, intermediate, marts), seeds in ``reference``."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"


def dbt_project() -> DbtProject:
    """The dbt project; its manifest is parsed when missing (``dagster dev`` re-parses it at every start)."""
    project = DbtProject(
        project_dir=settings.PROJECT_DIR,
        profiles_dir=settings.PROJECT_DIR / "profiles",
        target=dbt_target(),
        target_path=os.environ.get("DBT_TARGET_PATH", "target"),
    )
    project.prepare_if_dev()
    if not project.manifest_path.exists():
        subprocess.run(
            [serving.dbt_executable(), "parse", "--target", dbt_target(), "--quiet"],
            cwd=settings.PROJECT_DIR,
            env=serving.dbt_env(settings.landing_dir(), settings.db_path()),
            check=True,
        )
    return project


PROJECT = dbt_project()
TRANSLATOR = SwitchboardTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))
MANIFEST = json.loads(PROJECT.manifest_path.read_text(encoding="utf-8"))


def _failed_nodes(run_results: Mapping[str, Any]) -> list[dict[str, str]]:
    return [
        {"node": r["unique_id"], "status": r["status"], "message": (r.get("message") or "").strip()[:500]}
        for r in run_results.get("results", [])
        if r["status"] in ("error", "fail", "runtime error")
    ]


@dbt_assets(manifest=MANIFEST, project=PROJECT, dagster_dbt_translator=TRANSLATOR)
def switchboard_dbt(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    """``dbt build`` (models, seeds, data and unit tests) into the build file, never the served one."""
    build, target = settings.db_path(), dbt_target()
    busy = serving.build_file_busy(build) if target == "duckdb" else None
    if busy:
        context.log.warning(f"build file {build} is busy ({busy}); retrying")
        raise dg.RetryRequested(max_retries=MAX_RETRIES, seconds_to_wait=RETRY_BASE_DELAY_S * 2**context.retry_number)
    info = serving.BuildInfo(engine=target, started_at=serving.utc_now(), landing=settings.landing_dir())
    serving.write_state(build, "running", info)
    invocation = dbt.cli(["build"], context=context, raise_on_error=False)
    yield from invocation.stream()
    info.finished_at = serving.utc_now()
    run_results = invocation.get_artifact("run_results.json")
    run_dir = _run_dir(context.run.run_id)
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "unit_tests.json").write_text(
        json.dumps(
            {
                r["unique_id"]: {"status": r["status"], "message": r.get("message")}
                for r in run_results.get("results", [])
                if r["unique_id"].startswith("unit_test.")
            }
        ),
        encoding="utf-8",
    )
    if not invocation.is_successful():
        failed = _failed_nodes(run_results)
        serving.write_state(build, "failed", info, f"{len(failed)} dbt node(s) failed")
        raise dg.Failure(
            description="dbt build failed, nothing published: "
            + "; ".join(f"{f['node']} ({f['status']}): {f['message'][:200]}" for f in failed[:10]),
            metadata={
                "what": "dbt build",
                "models": dg.MetadataValue.json([f["node"] for f in failed]),
                "failed_nodes": dg.MetadataValue.json(failed),
            },
        )
    serving.write_state(build, "succeeded", info)


def _unit_test_specs() -> dict[str, dg.AssetCheckSpec]:
    """One asset check per dbt unit test, on the model it tests (dagster-dbt maps only data tests)."""
    model_keys = {
        MANIFEST["nodes"][uid]["name"]: key
        for key, uid in (
            (k, switchboard_dbt.get_asset_spec(k).metadata.get("dagster_dbt/unique_id")) for k in switchboard_dbt.keys
        )
        if uid in MANIFEST["nodes"]
    }
    return {
        uid: dg.AssetCheckSpec(f"unit_{ut['name']}", asset=model_keys[ut["model"]], description=ut.get("description"))
        for uid, ut in sorted(MANIFEST.get("unit_tests", {}).items())
        if ut["model"] in model_keys
    }


UNIT_TEST_SPECS = _unit_test_specs()


@dg.multi_asset_check(name="dbt_unit_tests", specs=list(UNIT_TEST_SPECS.values()), can_subset=True)
def dbt_unit_tests(context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult]:
    """The unit-test results of this run's ``dbt build`` (which runs them before each model it tests)."""
    path = _run_dir(context.run.run_id) / "unit_tests.json"
    results = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for uid, spec in UNIT_TEST_SPECS.items():
        if spec.key not in context.selected_asset_check_keys:
            continue
        outcome = results.get(uid)
        yield dg.AssetCheckResult(
            asset_key=spec.asset_key,
            check_name=spec.name,
            passed=bool(outcome) and outcome["status"] == "pass",
            metadata={
                "unique_id": uid,
                "status": outcome["status"] if outcome else "not run in this run",
                "message": (outcome or {}).get("message") or "",
            },
        )


# ------------------------------------------------------------------------------------------------------ serving
@dg.asset(key=dg.AssetKey(["served", "switchboard"]), deps=[switchboard_dbt], group_name="serving", kinds={"duckdb"})
def served_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Publish the finished build to the served file BI tools read (atomic rename; the old one kept for rollback)."""
    build, target = settings.db_path(), dbt_target()
    state = serving.read_state(build) or {}
    info = serving.BuildInfo(
        engine=target,
        landing=settings.landing_dir(),
        started_at=dt.datetime.fromisoformat(state["started_at"]) if state.get("started_at") else None,
        finished_at=dt.datetime.fromisoformat(state["finished_at"]) if state.get("finished_at") else None,
    )
    try:
        pub = serving.publish(
            build, info=info, spark_warehouse=serving.spark_warehouse() if target == "spark" else None
        )
    except serving.ServingError as exc:
        if "another publication" in str(exc) and context.retry_number < MAX_RETRIES:
            raise dg.RetryRequested(
                max_retries=MAX_RETRIES, seconds_to_wait=RETRY_BASE_DELAY_S * 2**context.retry_number
            ) from exc
        raise dg.Failure(description=f"publication failed: {exc}", metadata={"what": "publish"}) from exc
    context.log.info(pub.summary())
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(pub.served)),
            "tables": len(pub.tables),
            "bytes": pub.bytes,
            "seconds": round(pub.seconds, 2),
            "published_at": str(pub.published_at),
        }
    )


# ----------------------------------------------------------------------------------------- failure, job, triggers
@dg.failure_hook
def record_failure(context: dg.HookContext) -> None:
    """Write what failed (step, message, models, files) to $SWITCHBOARD_FAILURE_DIR/<run>-<step>.json."""
    exc = context.op_exception
    meta = {k: getattr(v, "value", v) for k, v in (getattr(exc, "metadata", None) or {}).items()}
    record = {
        "run_id": context.run_id,
        "job": context.job_name,
        "step": context.step_key,
        "failed_at": serving.utc_now().isoformat(),
        "what": meta.get("what", context.op.name),
        "message": getattr(exc, "description", None) or str(exc),
        "models": meta.get("models", []),
        "files": meta.get("files", []),
        "landing": str(settings.landing_dir()),
        "build": str(settings.db_path()),
    }
    path = failure_dir() / f"{context.run_id}-{context.step_key}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, default=str) + "\n", encoding="utf-8")
    context.log.error(f"failure recorded in {path}: {record['message'][:500]}")


daily_job = dg.define_asset_job(
    JOB_NAME,
    selection=dg.AssetSelection.all(),
    hooks={record_failure},
    description="Validate the landing, dbt build (with tests), publish the served warehouse",
)

_cron, _tz = schedule_cron()
daily_schedule = dg.ScheduleDefinition(
    name="switchboard_daily_schedule",
    job=daily_job,
    cron_schedule=_cron,
    execution_timezone=_tz,
    description=f"Every day at {os.environ.get('SWITCHBOARD_SCHEDULE_TIME', '06:00')} {_tz}",
)


def landing_listing(root: Path) -> list[str]:
    """Every landing file, relative to the root: what the sensor's cursor remembers."""
    return sorted(f"{tid}/{p.name}" for tid, files in serving.landing_files(root).items() for p in files)


@dg.sensor(
    name="new_landing_files",
    job=daily_job,
    minimum_interval_seconds=int(os.environ.get("SWITCHBOARD_SENSOR_INTERVAL_S", "60")),
)
def new_landing_files(context: dg.SensorEvaluationContext) -> dg.RunRequest | dg.SkipReason:
    """A run when files arrive that no earlier run was started for (cursor = the files seen)."""
    seen = set(json.loads(context.cursor)) if context.cursor else set()
    current = landing_listing(settings.landing_dir())
    new = [f for f in current if f not in seen]
    if not new:
        return dg.SkipReason(f"no new landing files ({len(current)} seen)")
    context.update_cursor(json.dumps(sorted(seen.union(current))))
    return dg.RunRequest(
        run_key=hashlib.sha256("\n".join(new).encode()).hexdigest()[:20],
        tags={"switchboard/new_files": str(len(new)), "switchboard/first_new_file": new[0]},
    )


def build_definitions() -> dg.Definitions:
    return dg.Definitions(
        assets=[landing_files, switchboard_dbt, served_warehouse],
        asset_checks=[landing_validation, landing_freshness, dbt_unit_tests],
        jobs=[daily_job],
        schedules=[daily_schedule],
        sensors=[new_landing_files],
        resources={
            "dbt": DbtCliResource(project_dir=PROJECT, target=dbt_target(), dbt_executable=serving.dbt_executable())
        },
    )
