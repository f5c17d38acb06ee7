"""The ``switchboard`` command: generate, validate, contract, build, publish, summary, dashboard, import.

Each subcommand is a thin wrapper around a module (``switchboard.generator``, ``.validation``, ``.serving``, ...).
Expected failures (a missing landing folder or warehouse, a file another process holds, an export that does not
parse, a failed ``dbt build``) are one ``switchboard: error: ...`` line on stderr and an exit code from
``switchboard.errors``; ``--debug`` shows their traceback too. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from switchboard import __version__, settings
from switchboard.errors import (
    EXIT_BUSY,
    EXIT_FAILED,
    EXIT_USAGE,
    InputError,
    SwitchboardError,
    is_lock_error,
    one_line,
)

DESCRIPTION = "Switchboard, the contact-center KPI warehouse: landing data in, validated KPI tables out."

EPILOG = """\
a day's run:  switchboard build   (validate -> dbt build -> publish; readers get the served copy)
first time:   make demo           (install, generate demo data, build, publish, summary)

exit codes (every command):
  0  done
  1  the command ran and failed: validation found problems, dbt build failed, generated files
     are stale, a publication was refused or failed; nothing was published
  2  it could not start: a bad argument, or a missing or unreadable input (landing folder,
     warehouse, build file, vendor export)
  3  busy: another process holds the file (a DuckDB file open for writing, another build or
     publication); try again later
--debug shows the traceback of an expected failure too; an unexpected one always shows it.

environment:
  SWITCHBOARD_LANDING_DIR  landing root (default: data/landing)
  SWITCHBOARD_DB_PATH      build file dbt writes (default: data/switchboard.duckdb)
  SWITCHBOARD_SERVED_PATH  served file readers get (default: <build dir>/served/switchboard.duckdb)
  SWITCHBOARD_PII_SALT     salt of the PII hashes (default: a public demo salt)

`switchboard COMMAND --help` describes a command; README.md and docs/ the rest.
"""

LANDING_HELP = "landing root (default: $SWITCHBOARD_LANDING_DIR or data/landing)"


# ------------------------------------------------------------------------------------------ argument types
def _number(kind: type, low: float | None = None, high: float | None = None, rule: str = ""):
    """An argparse type: ``kind`` (int or float) with ``low <= value``, ``value < high``; ``rule`` says it."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {'an integer' if kind is int else 'a number'}: {text!r}") from None
        if (low is not None and not value >= low) or (high is not None and not value < high):
            raise argparse.ArgumentTypeError(f"must be {rule}, got {text}")
        return value

    return parse


_positive_int = _number(int, 1, rule="at least 1")
_non_negative_int = _number(int, 0, rule="0 or more")
_positive_float = _number(float, 1e-300, rule="positive")
_bad_row_rate = _number(float, 0, 0.1, rule="at least 0 and below 0.1 (a rate per rule)")
_port = _number(int, 1, 65536, rule="a TCP port, 1-65535")


def _iso_date(text: str) -> str:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None
    return text


def _landing_root(path: str | Path) -> Path:
    root = Path(path)
    if not root.is_dir():
        raise InputError(
            f"landing root {root} is not a directory (set SWITCHBOARD_LANDING_DIR or pass --landing); "
            "nothing was read or built"
        )
    return root


# ------------------------------------------------------------------------------------------------ commands
def _check_readable(db: Path) -> None:
    """Open ``db`` read-only once, so a file that is not a DuckDB database is an input error (exit 2) and a file
    another process holds for writing is busy (exit 3), before any work starts."""
    from switchboard.serving import ServingError, connect_served

    try:
        connect_served(db).close()
    except ServingError as exc:
        if is_lock_error(exc):
            raise
        raise InputError(str(exc)) from exc


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
    print(generate(opts))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from switchboard.validation import validate_landing

    return validate_landing(_landing_root(args.landing), docs_dir=args.docs_dir)


def _contract(args: argparse.Namespace) -> int:
    from switchboard import staging_files

    if args.check:
        found = staging_files.problems()
        for problem in found:
            print(problem, file=sys.stderr)
        if found:
            raise SwitchboardError(
                f"{len(found)} generated dbt file(s) out of sync with switchboard/contract.py: "
                "run `switchboard contract`"
            )
        return 0
    for path in staging_files.write():
        print(path)
    return 0


def _summary(args: argparse.Namespace) -> int:
    from switchboard import serving
    from switchboard.summary import summarise

    served = Path(args.served) if args.served else serving.served_path()
    if not served.is_file():
        raise InputError(
            f"no warehouse at {served}: nothing is published there yet; run `switchboard build` (validate, dbt "
            "build, publish) or `switchboard publish` after a successful dbt build, or pass --served FILE"
        )
    _check_readable(served)
    print(summarise(served))
    return 0


def _build(args: argparse.Namespace) -> int:
    from switchboard.serving import run_build

    landing = _landing_root(args.landing)
    dbt_args = (["--full-refresh"] if args.full_refresh else []) + list(args.dbt_args)
    return run_build(landing, target=args.target, retries=args.retries, dbt_args=dbt_args)


def _publish(args: argparse.Namespace) -> int:
    from switchboard import serving

    if args.rollback:
        previous = serving.previous_path()
        if not previous.is_file():
            raise InputError(f"no previous version at {previous}: nothing to roll back to")
        print(serving.rollback())
        return 0
    if args.target == "spark":
        warehouse = serving.spark_warehouse()
        if not warehouse.is_dir():
            raise InputError(f"no Spark warehouse at {warehouse}: run `switchboard build --target spark` first")
    else:
        warehouse = None
        build = settings.db_path()
        if not build.is_file():
            raise InputError(
                f"no build at {build}: run `switchboard build` (or dbt build) first, or set SWITCHBOARD_DB_PATH"
            )
    info = serving.BuildInfo(engine=args.target, landing=Path(args.landing))
    print(serving.publish(info=info, spark_warehouse=warehouse, force=args.force).summary())
    return 0


def _import(args: argparse.Namespace) -> int:
    """Run one vendor importer; an input that is not the export expected is exit 2 with one line, no traceback."""
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
        raise InputError(f"import {args.vendor}: {exc}") from exc
    except duckdb.Error as exc:  # an input DuckDB could not read at all (permissions, a truncated gzip, ...)
        if is_lock_error(exc):
            raise
        raise InputError(f"import {args.vendor}: could not read the input: {exc}") from exc
    print(report.summary())
    return 0


def _dashboard(args: argparse.Namespace) -> int:
    import subprocess

    from switchboard.dashboard.server import streamlit_command, streamlit_env
    from switchboard.dashboard.warehouse import warehouse_path

    db = warehouse_path(args.db)
    if not db.is_file():
        raise InputError(f"no warehouse at {db}; run `make demo` first or pass --db PATH")
    _check_readable(db)  # fail here rather than on every page
    print(f"Switchboard dashboard on http://{args.host}:{args.port} (warehouse {db}, read-only; Ctrl+C stops it)")
    try:
        return subprocess.call(streamlit_command(args.host, args.port), env=streamlit_env(db))
    except KeyboardInterrupt:
        return 0


# -------------------------------------------------------------------------------------------------- parser
class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Description and epilog as written; every subcommand's help beside its name (argparse measures the names
    of subcommands two columns short, which puts a long one's help on the next line)."""

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._get_subactions():
                width = len(self._format_action_invocation(choice)) + self._current_indent + self._indent_increment
                self._action_max_length = max(self._action_max_length, width)


def _command(sub: argparse._SubParsersAction, name: str, help: str, description: str = "", epilog: str = ""):
    """A subcommand: ``help`` is its line in ``switchboard --help``, ``description`` (default: the same line) and
    ``epilog`` the top and bottom of ``switchboard NAME --help``."""
    return sub.add_parser(
        name,
        help=help,
        description=description or help[0].upper() + help[1:] + ".",
        epilog=epilog or None,
        formatter_class=_Formatter,
    )


def _add_generate(sub: argparse._SubParsersAction) -> None:
    g = _command(
        sub,
        "generate",
        "simulate a contact center and write every landing table",
        "Simulate a two-site, multi-channel contact center and write every table of the landing contract.",
        "The same seed and options give byte-identical files. Only the contract's table folders and _generator/\n"
        "under --out are replaced. Example (the test data set):\n"
        "  switchboard generate --out build/test/landing --seed 7 --start 2026-01-05 --days 120 --scale 0.1 "
        "--bad-rows 0.002\n"
        "See docs/generator.md.",
    )
    g.add_argument(
        "--out",
        default=str(settings.landing_dir()),
        metavar="DIR",
        help="landing root to write (default: $SWITCHBOARD_LANDING_DIR or data/landing)",
    )
    g.add_argument("--seed", type=int, default=42, metavar="N", help="random seed (default: 42)")
    g.add_argument(
        "--start",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="first local date (default: the data ends yesterday, so the output depends on the day it runs)",
    )
    g.add_argument(
        "--days", type=_positive_int, default=120, metavar="N", help="number of days to simulate (default: 120)"
    )
    g.add_argument(
        "--scale",
        type=_positive_float,
        default=1.0,
        metavar="X",
        help="size of the center: 1 = the demo (~80 agents, default), 0.1 = the test data set",
    )
    g.add_argument(
        "--format", choices=("parquet", "csv"), default="parquet", help="file format of the batches (default: parquet)"
    )
    g.add_argument(
        "--bad-rows",
        type=_bad_row_rate,
        default=0.0,
        metavar="RATE",
        help="inject each bad-row rule of the contract at this rate per table, below 0.1 (default: 0)",
    )
    g.set_defaults(func=_generate)


def _add_validate(sub: argparse._SubParsersAction) -> None:
    v = _command(
        sub,
        "validate",
        "check the landing files against the contract (Great Expectations)",
        "Check every landing file's columns and types against the contract, then row-level expectations.",
        "A shape problem (missing, unexpected or duplicate column, wrong type, unreadable file) fails the run\n"
        "(exit 1); row-level findings are warnings, quarantined later by staging. Writes HTML Data Docs and\n"
        "landing_validation.json beside them. See docs/validation.md.",
    )
    v.add_argument("--landing", default=str(settings.landing_dir()), metavar="DIR", help=LANDING_HELP)
    v.add_argument(
        "--docs-dir", default=None, metavar="DIR", help="where to write the HTML Data Docs (default: build/data_docs)"
    )
    v.set_defaults(func=_validate)


def _add_contract(sub: argparse._SubParsersAction) -> None:
    c = _command(
        sub,
        "contract",
        "write the dbt files generated from the landing contract",
        "Write every dbt file generated from switchboard/contract.py: the sources YAML, the base_, stg_ and\n"
        "quarantine_ models and their YAML.",
        "Run it after editing switchboard/contract.py; `--check` (part of make lint) changes nothing.\n"
        "See CONTRIBUTING.md and docs/staging.md.",
    )
    c.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list generated files that are stale, missing or extra and exit 1 if there are any",
    )
    c.set_defaults(func=_contract)


def _add_build(sub: argparse._SubParsersAction) -> None:
    b = _command(
        sub,
        "build",
        "validate, dbt build, then publish if both succeeded (for cron)",
        "Validate the landing, run dbt build (models, seeds, data and unit tests) into the build file, and\n"
        "publish it to the served file only if both succeeded.",
        "Exit 0 = published; any other code = nothing published, readers keep the previous version\n"
        "(1: validation or dbt build failed; 2: missing landing or bad argument; 3: the build file is busy).\n"
        "One build per build file at a time. Example:\n"
        "  0 6 * * * cd /srv/switchboard && .venv/bin/switchboard build >> /var/log/switchboard.log 2>&1\n"
        "See docs/serving.md and docs/orchestration.md.",
    )
    b.add_argument("--landing", default=str(settings.landing_dir()), metavar="DIR", help=LANDING_HELP)
    b.add_argument(
        "--target", choices=("duckdb", "spark"), default="duckdb", help="dbt target, i.e. the engine (default: duckdb)"
    )
    b.add_argument(
        "--retries",
        type=_non_negative_int,
        default=3,
        metavar="N",
        help="retries, with backoff from 5 s, while another process holds the build file (default: 3)",
    )
    b.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every model from all landing files (default: the base_ models read only new files, "
        "see docs/staging.md)",
    )
    b.add_argument(
        "dbt_args", nargs="*", metavar="DBT_ARG", help="extra dbt build arguments, after --, e.g. -- --threads 1"
    )
    b.set_defaults(func=_build)


def _add_publish(sub: argparse._SubParsersAction) -> None:
    p = _command(
        sub,
        "publish",
        "publish the last successful build to the served file (atomic), or roll back",
        "Copy the build file's BI surface (marts, reference, data_quality, meta) into a new file and rename it\n"
        "over the served file, which BI tools, the dashboard and `switchboard summary` read.",
        "`switchboard build` publishes by itself; use this after a dbt build run by hand. A build that failed or\n"
        "did not finish is refused unless --force. See docs/serving.md.",
    )
    p.add_argument("--rollback", action="store_true", help="swap the served file with the previous version")
    p.add_argument(
        "--landing",
        default=str(settings.landing_dir()),
        metavar="DIR",
        help="landing root, for meta.landing_freshness (default: $SWITCHBOARD_LANDING_DIR or data/landing)",
    )
    p.add_argument(
        "--target", choices=("duckdb", "spark"), default="duckdb", help="engine the build ran on (default: duckdb)"
    )
    p.add_argument("--force", action="store_true", help="publish even if the last build did not succeed")
    p.set_defaults(func=_publish)


def _add_summary(sub: argparse._SubParsersAction) -> None:
    s = _command(
        sub,
        "summary",
        "print a short KPI summary of the served (published) warehouse",
        "Print the publication, the latest KPIs per site and family, and the data-health audit of the served\n"
        "warehouse (never the file a build is writing, so it works during a build).",
    )
    s.add_argument(
        "--served",
        "--db",
        dest="served",
        default=None,
        metavar="FILE",
        help="served DuckDB file (default: $SWITCHBOARD_SERVED_PATH or <build dir>/served/switchboard.duckdb)",
    )
    s.set_defaults(func=_summary)


def _add_dashboard(sub: argparse._SubParsersAction) -> None:
    d = _command(
        sub,
        "dashboard",
        "open the KPI dashboard (Streamlit) on the served warehouse, read-only",
        "Serve the KPI dashboard (Streamlit) on the served warehouse, read-only, until Ctrl+C.",
        "See docs/dashboard.md.",
    )
    d.add_argument(
        "--db",
        default=None,
        metavar="FILE",
        help="DuckDB file (default: $SWITCHBOARD_SERVED_PATH, else <build dir>/served/switchboard.duckdb)",
    )
    d.add_argument("--host", default="127.0.0.1", help="address to serve on (default: 127.0.0.1, this machine only)")
    d.add_argument("--port", type=_port, default=8501, metavar="N", help="TCP port to serve on (default: 8501)")
    d.set_defaults(func=_dashboard)


def _add_import(sub: argparse._SubParsersAction) -> None:
    imp = _command(
        sub,
        "import",
        "convert a contact platform's export into landing files",
        "Convert a contact platform's export (Amazon Connect, Genesys Cloud) into the landing tables\n"
        "acd/contact_segments and acd/agent_state_changes.",
        "Every record is written or skipped with a reason (the report proves it); a file that is not the\n"
        "export expected stops the import with exit 2 and nothing written. See docs/importers.md.",
    )
    vendors = imp.add_subparsers(
        dest="vendor", required=True, metavar="VENDOR", title="vendors", help="the platform the export comes from"
    )
    transfer = {
        "choices": ("blind", "warm", "conference"),
        "default": "blind",
        "help": "transfer_type where the export does not say (default: blind)",
    }

    a = _command(
        vendors,
        "amazon-connect",
        "contact records (CTR) and agent event streams, JSON in S3",
        "Import Amazon Connect contact records (CTR) and agent event streams (JSON, plain or .gz).",
    )
    a.add_argument(
        "--contact-records",
        nargs="+",
        required=True,
        metavar="PATH",
        help="contact record files, folders or globs (plain or .gz; Firehose layouts)",
    )
    a.add_argument("--agent-events", nargs="+", metavar="PATH", help="agent event stream files, folders or globs")
    a.add_argument("--out", required=True, metavar="DIR", help="landing root to write")
    a.add_argument(
        "--customer-id-attribute", metavar="NAME", help="contact attribute holding the CRM customer id (else null)"
    )
    a.add_argument(
        "--disposition-attribute", metavar="NAME", help="contact attribute holding the disposition code (else null)"
    )
    a.add_argument("--status-map", metavar="YAML", help="YAML of agent status name -> state, merged over the defaults")
    a.add_argument(
        "--task-channel",
        default="skip",
        metavar="CHANNEL",
        help="TASK contacts: skip (default, counted as unsupported_channel) or a contract channel",
    )
    a.add_argument(
        "--queue-id-from",
        choices=("name", "arn"),
        default="name",
        help="queue_id: Queue.Name or the id at the end of the queue ARN (default: name)",
    )
    a.add_argument(
        "--agent-id-from",
        choices=("username", "arn"),
        default="username",
        help="agent_id: Agent.Username or the id at the end of the agent ARN (default: username)",
    )
    a.add_argument("--default-transfer-type", **transfer)
    a.set_defaults(func=_import)

    g = _command(
        vendors,
        "genesys-cloud",
        "analytics conversation details and user details, JSON",
        "Import Genesys Cloud analytics conversation details and user details (JSON, plain or .gz).",
    )
    g.add_argument(
        "--conversations",
        nargs="+",
        required=True,
        metavar="PATH",
        help="conversation-details query or job pages (conversations[]) or conversation objects",
    )
    g.add_argument("--users", nargs="+", metavar="PATH", help="user-details query pages (userDetails[])")
    g.add_argument("--out", required=True, metavar="DIR", help="landing root to write")
    g.add_argument(
        "--message-channel",
        choices=("by_type", "sms", "social"),
        default="by_type",
        help="mediaType message: by messageType (sms -> sms, else social; default) or all one channel",
    )
    g.add_argument("--default-transfer-type", **transfer)
    g.set_defaults(func=_import)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line (tests walk it: every command and option has help)."""
    parser = argparse.ArgumentParser(
        prog="switchboard",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=_Formatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__}",
        help="print the version of the installed switchboard package and exit",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show the Python traceback of an expected failure as well (for bug reports)",
    )
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", title="commands", help="one of the commands below"
    )
    for add in (
        _add_generate,
        _add_validate,
        _add_contract,
        _add_build,
        _add_publish,
        _add_summary,
        _add_dashboard,
        _add_import,
    ):
        add(sub)
    return parser


# ---------------------------------------------------------------------------------------------- failures
def expected_failure(exc: BaseException) -> tuple[int, str] | None:
    """(exit code, message) of an expected failure, or None for a bug (which keeps its traceback)."""
    from switchboard.serving import ServingError

    if is_lock_error(exc):
        message = one_line(exc)
        if not isinstance(exc, SwitchboardError | ServingError):
            message = f"a DuckDB file is held by another process, try again when it is done: {message}"
        return EXIT_BUSY, message
    if isinstance(exc, SwitchboardError | ServingError):
        return getattr(exc, "exit_code", EXIT_FAILED), one_line(exc)
    duckdb = sys.modules.get("duckdb")
    if duckdb is not None and isinstance(exc, duckdb.IOException):  # e.g. a file that is not a DuckDB database
        return EXIT_USAGE, one_line(exc)
    if isinstance(exc, OSError):
        message = f"{exc.strerror}: {exc.filename}" if exc.strerror and exc.filename else one_line(exc)
        usage = (FileNotFoundError, FileExistsError, NotADirectoryError, IsADirectoryError, PermissionError)
        # a path given that cannot be used (usage), or the machine failing: a full disk, a read-only file system
        return (EXIT_USAGE if isinstance(exc, usage) else EXIT_FAILED), message
    return None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("switchboard: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        failure = expected_failure(exc)
        if failure is None or args.debug:
            raise
        code, message = failure
        print(f"switchboard: error: {message}", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
