"""Compare every table of schema ``marts`` of two DuckDB files exactly (`make bench`: increment vs full build).

    python bench/compare_marts.py A.duckdb B.duckdb OUT.json [--threads 2] [--memory-limit 3GB]

Per table: the columns, the row counts and the rows in one file and not the other (``except all``: exact,
duplicates counted). Writes OUT.json and exits 0 only when every table is identical.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb


def tables(con: duckdb.DuckDBPyConnection, catalog: str, schema: str) -> set[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_catalog = ? and table_schema = ?",
        [catalog, schema],
    ).fetchall()
    return {r[0] for r in rows}


def compare(a: Path, b: Path, schema: str = "marts", threads: int = 2, memory_limit: str = "3GB") -> dict:
    tmp = tempfile.mkdtemp(prefix="compare_marts_", dir=Path(a).parent)
    config = {"threads": threads, "memory_limit": memory_limit, "temp_directory": tmp}
    con = duckdb.connect(config={**config, "preserve_insertion_order": False})
    con.execute(f"attach '{a}' as a (read_only)")
    con.execute(f"attach '{b}' as b (read_only)")
    ta, tb = tables(con, "a", schema), tables(con, "b", schema)
    out: dict = {"only_in_a": sorted(ta - tb), "only_in_b": sorted(tb - ta), "tables": {}}
    for t in sorted(ta & tb):
        ca = [c[0] for c in con.execute(f"select * from a.{schema}.{t} limit 0").description]
        cb = [c[0] for c in con.execute(f"select * from b.{schema}.{t} limit 0").description]
        na = con.execute(f"select count(*) from a.{schema}.{t}").fetchone()[0]
        nb = con.execute(f"select count(*) from b.{schema}.{t}").fetchone()[0]
        res = {"rows_a": na, "rows_b": nb}
        if ca != cb:
            res.update(identical=False, columns_differ=True)
        else:
            cols = ", ".join(f'"{c}"' for c in ca)

            def minus(x: str, y: str, cols: str = cols, t: str = t) -> int:
                q = f"select {cols} from {x}.{schema}.{t} except all select {cols} from {y}.{schema}.{t}"
                return con.execute(f"select count(*) from ({q})").fetchone()[0]

            res["only_a"], res["only_b"] = minus("a", "b"), minus("b", "a")
            res["identical"] = na == nb and res["only_a"] == 0 and res["only_b"] == 0
        out["tables"][t] = res
    con.close()
    shutil.rmtree(tmp, ignore_errors=True)
    same_tables = not out["only_in_a"] and not out["only_in_b"]
    out["identical"] = same_tables and all(r["identical"] for r in out["tables"].values())
    out["tables_compared"] = len(out["tables"])
    out["tables_different"] = sorted(t for t, r in out["tables"].items() if not r["identical"])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--schema", default="marts")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory-limit", default="3GB")
    args = ap.parse_args(argv)
    res = compare(args.a, args.b, args.schema, args.threads, args.memory_limit)
    args.out.write_text(json.dumps(res, indent=2) + "\n")
    for t, r in res["tables"].items():
        print(f"{t}: {'identical' if r['identical'] else 'DIFFERENT'} {r}")
    print(f"{res['tables_compared']} tables, different: {res['tables_different'] or 'none'}")
    return 0 if res["identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
