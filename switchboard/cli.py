"""The ``switchboard`` command: generate, validate, contract, summary, build, publish."""

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
    from switchboard.sources_yaml import write_sources

    for path in write_sources(check=args.check):
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="switchboard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    g = sub.add_parser("generate", help="simulate a contact center and write every landing table")
    g.add_argument("--out", default=str(settings.landing_dir()), help="landing root to write (default: $SWITCHBOARD_LANDING_DIR or data/landing)")
    g.add_argument("--seed", type=int, default=42, help="random seed; same seed and options = byte-identical output")
    g.add_argument("--start", default=None, help="first local date (YYYY-MM-DD); default: the data ends yesterday")
    g.add_argument("--days", type=int, default=120, help="number of days to simulate")
    g.add_argument("--scale", type=float, default=1.0, help="1 = the demo center (~80 agents); 0.1 = the test data set")
    g.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    g.add_argument("--bad-rows", type=float, default=0.0, help="rate at which each bad-row rule of the contract is injected")
    g.set_defaults(func=_generate)

    v = sub.add_parser("validate", help="validate the landing files against the contract (Great Expectations)")
    v.add_argument("--landing", default=str(settings.landing_dir()))
    v.add_argument("--docs-dir", default=None, help="where to write the HTML Data Docs (default: build/data_docs)")
    v.set_defaults(func=_validate)

    c = sub.add_parser("contract", help="write the dbt source YAML from the landing contract")
    c.add_argument("--check", action="store_true", help="fail if the checked-in YAML is out of date")
    c.set_defaults(func=_contract)

    s = sub.add_parser("summary", help="print a short KPI summary of the served (published) warehouse")
    s.add_argument("--served", "--db", dest="served", default=None,
                   help="served DuckDB file (default: $SWITCHBOARD_SERVED_PATH or <build dir>/served/switchboard.duckdb)")
    s.set_defaults(func=_summary)

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
