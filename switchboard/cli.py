"""The ``switchboard`` command: generate, validate, contract, summary."""

from __future__ import annotations

import argparse
import sys

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
            print("generated dbt files out of sync with switchboard/contract.py: run `switchboard contract`",
                  file=sys.stderr)
            return 1
        return 0
    for path in staging_files.write():
        print(path)
    return 0


def _summary(args: argparse.Namespace) -> int:
    from switchboard.summary import summarise

    print(summarise(args.db))
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

    c = sub.add_parser("contract", help="write every dbt file generated from the landing contract (sources, base_/stg_/quarantine_ models, YAML)")
    c.add_argument("--check", action="store_true", help="fail, listing them, if generated files are stale, missing or extra")
    c.set_defaults(func=_contract)

    s = sub.add_parser("summary", help="print a short KPI summary from the marts that exist")
    s.add_argument("--db", default=str(settings.db_path()), help="DuckDB file (default: $SWITCHBOARD_DB_PATH or data/switchboard.duckdb)")
    s.set_defaults(func=_summary)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
