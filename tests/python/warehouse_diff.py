"""Exact comparison of two DuckDB warehouses, table by table: same columns, same multiset of rows.

Used where two builds of the same landing must agree bit for bit (day-by-day increments against a full refresh).
Rows are compared with EXCEPT ALL both ways in one DuckDB connection: doubles bit for bit (no tolerance), a NULL
equals a NULL and a NaN a NaN (set operations treat values as not distinct), and a row that occurs twice on one
side and once on the other is a difference.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

SAMPLE_ROWS = 5


def relations(con: duckdb.DuckDBPyConnection, catalog: str, schemas: dict[str, str]) -> list[str]:
    """`schema.table` of every table and view of `catalog` in the given schemas whose name starts with the schema's
    prefix ('' = every relation), sorted."""
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables where table_catalog = ? "
        "order by table_schema, table_name",
        [catalog],
    ).fetchall()
    return [f"{s}.{t}" for s, t in rows if s in schemas and t.startswith(schemas[s])]


def columns(con: duckdb.DuckDBPyConnection, catalog: str, relation: str) -> list[tuple[str, str]]:
    """(name, type) of every column of `catalog`.`relation`, in order."""
    schema, table = relation.split(".")
    return con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position",
        [catalog, schema, table],
    ).fetchall()


def diff_relation(con: duckdb.DuckDBPyConnection, left: str, right: str, relation: str) -> str | None:
    """How `left`.`relation` and `right`.`relation` (two attached catalogs) differ, None when they hold the same
    columns (names, types, order) and the same multiset of rows."""
    cols_l, cols_r = columns(con, left, relation), columns(con, right, relation)
    if cols_l != cols_r:
        return f"{relation}: columns differ\n  {left}: {cols_l}\n  {right}: {cols_r}"
    cols = ", ".join(f'"{c}"' for c, _ in cols_l)
    order = ", ".join(f"{i + 1} nulls first" for i in range(len(cols_l)))
    counts = [con.execute(f"select count(*) from {c}.{relation}").fetchone()[0] for c in (left, right)]
    lines = []
    for a, b in ((left, right), (right, left)):
        only = f"select {cols} from {a}.{relation} except all select {cols} from {b}.{relation}"
        (n,) = con.execute(f"select count(*) from ({only})").fetchone()
        if n:
            lines.append(f"  {n} rows only in {a}, e.g.:")
            sample = con.execute(f"select * from ({only}) order by {order} limit {SAMPLE_ROWS}").fetchall()
            lines += [f"    {row}" for row in sample]
    if not lines:
        return None
    names = [c for c, _ in cols_l]
    return f"{relation}: {counts[0]} rows in {left}, {counts[1]} in {right}; columns {names}\n" + "\n".join(lines)


def diff_warehouses(left: Path, right: Path, schemas: dict[str, str]) -> tuple[list[str], list[str]]:
    """(relations compared, differences) between two DuckDB files over the given schemas (schema -> name prefix);
    a relation present in one file only is a difference."""
    with duckdb.connect() as con:
        con.execute(f"attach '{left}' as lhs (read_only)")
        con.execute(f"attach '{right}' as rhs (read_only)")
        rel_l, rel_r = relations(con, "lhs", schemas), relations(con, "rhs", schemas)
        differences = [f"{r}: only in {left}" for r in rel_l if r not in rel_r]
        differences += [f"{r}: only in {right}" for r in rel_r if r not in rel_l]
        common = [r for r in rel_l if r in rel_r]
        differences += [d for r in common if (d := diff_relation(con, "lhs", "rhs", r))]
    return common, differences
