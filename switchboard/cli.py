"""The ``switchboard`` command: generate, validate, contract, build, publish, summary, dashboard, import."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from switchboard import settings


def _generate(args: argparse.Namespace) -> int:
    from switchboard.generator import GeneratorOptions, generate

    opts = GeneratorOptions(
        out=args.out,
        seed=args.seed,
        start=args.start,
        days=args.days,
        scale=args.scale,
        fmt=args.format,
        bad_rows=args.bad_rows,
    )
    summary = generate(opts)
    print(summary)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from switchboard.validation import validate_landing

    return validate_landing(args.landing, docs_dir=args.docs_dir)


def _contract(args: argparse.Namespace) -> int:
    from switchboard import staging_files

    if args.check:
        found = staging_files.problems()
        for problem in found:
            print(problem, file=sys.stderr)
        if found:
            print(
                "generated dbt files out of sync with switchboard/contract.py: run `switchboard contract`",
                file=sys.stderr,
            )
            return 1
        return 0
    for path in staging_files.write():
        print(path)
    return 0


def _summary(args: argparse.Namespace) -> int:
    from switchboard.serving import ServingError
    from switchboard.summary import summarise

    try:
        print(summarise(args.served))
    except ServingError as exc:
        print(f"switchboard summary: {exc}", file=sys.stderr)
        return 1
    return 0


def _build(args: argparse.Namespace) -> int:
    from switchboard.serving import ServingError, run_build

    try:
        return run_build(Path(args.landing), target=args.target, retries=args.retries, dbt_args=args.dbt_args)
    except ServingError as exc:
        print(f"switchboard build: {exc}", file=sys.stderr)
        return 1


def _publish(args: argparse.Namespace) -> int:
    from switchboard import serving

    try:
        if args.rollback:
            print(serving.rollback())
            return 0
        info = serving.BuildInfo(engine=args.target, landing=Path(args.landing))
        warehouse = serving.spark_warehouse() if args.target == "spark" else None
        print(serving.publish(info=info, spark_warehouse=warehouse, force=args.force).summary())
    except serving.ServingError as exc:
        print(f"switchboard publish: {exc}", file=sys.stderr)
        return 1
    return 0


def _import(args: argparse.Namespace) -> int:
    """Run one vendor importer; a problem with the input as a whole is a message and exit code 2, no traceback."""
    import duckdb

    from switchboard.importers import ImportFailed

    try:
        if args.vendor == "amazon-connect":
            from switchboard.importers.amazon_connect import AmazonOptions, run

            report = run(
                AmazonOptions(
                    contact_records=args.contact_records,
                    agent_events=args.agent_events or [],
                    out=Path(args.out),
                    customer_id_attribute=args.customer_id_attribute,
                    disposition_attribute=args.disposition_attribute,
                    status_map=Path(args.status_map) if args.status_map else None,
                    task_channel=args.task_channel,
                    queue_id_from=args.queue_id_from,
                    agent_id_from=args.agent_id_from,
                    default_transfer_type=args.default_transfer_type,
                )
            )
        else:
            from switchboard.importers.genesys_cloud import GenesysOptions, run

            report = run(
                GenesysOptions(
                    conversations=args.conversations,
                    users=args.users or [],
                    out=Path(args.out),
                    message_channel=args.message_channel,
                    default_transfer_type=args.default_transfer_type,
                )
            )
    except ImportFailed as exc:
        print(f"switchboard import {args.vendor}: {exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:  # an input DuckDB could not read at all (permissions, a truncated gzip, ...)
        print(f"switchboard import {args.vendor}: could not read the input: {exc}", file=sys.stderr)
        return 2
    print(report.summary())
    return 0


def _add_import(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser("import", help="convert a contact platform's export into landing files (docs/importers.md)")
    vendors = imp.add_subparsers(dest="vendor", required=True)
    transfer = {
        "choices": ("blind", "warm", "conference"),
        "default": "blind",
        "help": "transfer_type where the export does not say (default: blind)",
    }

    a = vendors.add_parser("amazon-connect", help="contact records (CTR) and agent event streams, JSON in S3")
    a.add_argument(
        "--contact-records",
        nargs="+",
        required=True,
        metavar="PATH",
        help="contact record files, folders or globs (plain or .gz; Firehose layouts)",
    )
    a.add_argument("--agent-events", nargs="+", metavar="PATH", help="agent event stream files, folders or globs")
    a.add_argument("--out", required=True, help="landing root to write")
    a.add_argument("--customer-id-attribute", help="contact attribute holding the CRM customer id (else null)")
    a.add_argument("--disposition-attribute", help="contact attribute holding the disposition code (else null)")
    a.add_argument("--status-map", help="YAML of agent status name -> state, merged over the defaults")
    a.add_argument(
        "--task-channel",
        default="skip",
        help="TASK contacts: skip (default, counted as unsupported_channel) or a contract channel",
    )
    a.add_argument("--queue-id-from", choices=("name", "arn"), default="name", help="queue_id: Queue.Name or ARN id")
    a.add_argument(
        "--agent-id-from",
        choices=("username", "arn"),
        default="username",
        help="agent_id: Agent.Username or the id at the end of the agent ARN",
    )
    a.add_argument("--default-transfer-type", **transfer)
    a.set_defaults(func=_import)

    g = vendors.add_parser("genesys-cloud", help="analytics conversation details and user details, JSON")
    g.add_argument(
        "--conversations",
        nargs="+",
        required=True,
        metavar="PATH",
        help="conversation-details query or job pages (conversations[]) or conversation objects",
    )
    g.add_argument("--users", nargs="+", metavar="PATH", help="user-details query pages (userDetails[])")
    g.add_argument("--out", required=True, help="landing root to write")
    g.add_argument(
        "--message-channel",
        choices=("by_type", "sms", "social"),
        default="by_type",
        help="mediaType message: by messageType (sms -> sms, else social; default) or all one channel",
    )
    g.add_argument("--default-transfer-type", **transfer)
    g.set_defaults(func=_import)


def _dashboard(args: argparse.Namespace) -> int:
    import subprocess

    from switchboard.dashboard.server import streamlit_command, streamlit_env
    from switchboard.dashboard.warehouse import warehouse_path

    db = warehouse_path(args.db)
    if not db.is_file():
        print(f"switchboard dashboard: no warehouse at {db}; run `make demo` first or pass --db PATH", file=sys.stderr)
        return 2
    print(f"Switchboard dashboard on http://{args.host}:{args.port} (warehouse {db}, read-only; Ctrl+C stops it)")
    try:
        return subprocess.call(streamlit_command(args.host, args.port), env=streamlit_env(db))
    except KeyboardInterrupt:
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="switchboard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    g = sub.add_parser("generate", help="simulate a contact center and write every landing table")
    g.add_argument(
        "--out",
        default=str(settings.landing_dir()),
        help="landing root to write (default: $SWITCHBOARD_LANDING_DIR or data/landing)",
    )
    g.add_argument("--seed", type=int, default=42, help="random seed; same seed and options = byte-identical output")
    g.add_argument("--start", default=None, help="first local date (YYYY-MM-DD); default: the data ends yesterday")
    g.add_argument("--days", type=int, default=120, help="number of days to simulate")
    g.add_argument("--scale", type=float, default=1.0, help="1 = the demo center (~80 agents); 0.1 = the test data set")
    g.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    g.add_argument(
        "--bad-rows", type=float, default=0.0, help="rate at which each bad-row rule of the contract is injected"
    )
    g.set_defaults(func=_generate)

    v = sub.add_parser("validate", help="validate the landing files against the contract (Great Expectations)")
    v.add_argument("--landing", default=str(settings.landing_dir()))
    v.add_argument("--docs-dir", default=None, help="where to write the HTML Data Docs (default: build/data_docs)")
    v.set_defaults(func=_validate)

    c = sub.add_parser(
        "contract",
        help="write every dbt file generated from the landing contract (sources, base_/stg_/quarantine_ models, YAML)",
    )
    c.add_argument(
        "--check", action="store_true", help="fail, listing them, if generated files are stale, missing or extra"
    )
    c.set_defaults(func=_contract)

    s = sub.add_parser("summary", help="print a short KPI summary of the served (published) warehouse")
    s.add_argument(
        "--served",
        "--db",
        dest="served",
        default=None,
        help="served DuckDB file (default: $SWITCHBOARD_SERVED_PATH or <build dir>/served/switchboard.duckdb)",
    )
    s.set_defaults(func=_summary)

    _add_import(sub)
    d = sub.add_parser("dashboard", help="open the KPI dashboard (Streamlit) on the warehouse, read-only")
    d.add_argument(
        "--db",
        default=None,
        help="DuckDB file (default: $SWITCHBOARD_SERVED_PATH, else $SWITCHBOARD_DB_PATH, else data/switchboard.duckdb)",
    )
    d.add_argument("--host", default="127.0.0.1", help="address to serve on (default: this machine only)")
    d.add_argument("--port", type=int, default=8501)
    d.set_defaults(func=_dashboard)

    b = sub.add_parser("build", help="validate the landing, dbt build, and publish only if both succeeded (for cron)")
    b.add_argument("--landing", default=str(settings.landing_dir()))
    b.add_argument("--target", choices=("duckdb", "spark"), default="duckdb", help="dbt target (engine)")
    b.add_argument("--retries", type=int, default=3, help="retries, with backoff, while the build file is busy")
    b.add_argument("dbt_args", nargs="*", help="extra dbt build arguments, after --, e.g. -- --threads 1")
    b.set_defaults(func=_build)

    p = sub.add_parser("publish", help="publish the last successful build to the served file (atomic), or roll back")
    p.add_argument("--rollback", action="store_true", help="swap the served file with the previous version")
    p.add_argument("--landing", default=str(settings.landing_dir()), help="landing root, for meta.landing_freshness")
    p.add_argument("--target", choices=("duckdb", "spark"), default="duckdb", help="engine the build ran on")
    p.add_argument("--force", action="store_true", help="publish even if the last build did not succeed")
    p.set_defaults(func=_publish)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
