"""Read vendor JSON exports into DuckDB, vectorised, keeping each value's file and line.

Exports arrive in several layouts and every one must be read:

- one JSON object per line (Kinesis Data Firehose with a newline delimiter, NDJSON job results);
- objects concatenated with no separator at all (Firehose's default: ``{...}{...}`` on one line);
- one JSON document per file, possibly pretty-printed over many lines (an API page, a job result);
- any of these gzip-compressed (``.gz``; DuckDB decompresses while reading).

Files are read as lines of text by DuckDB's CSV reader with a delimiter that cannot occur in JSON text (a raw
control character), so a line number comes with every line. A line that is valid JSON is one value; a line
that is not is split where one object ends and the next begins; pieces that still do not parse are
*malformed* and are reported with their file and line (the import goes on). A file in which no line parses is
tried once more as one document (pretty-printed JSON). A value that is a JSON array stands for its elements.
The loop in Python is over files, never over records.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from switchboard.importers import ImportFailed

SEP = "\x01"  # never appears raw in JSON text (control characters must be escaped inside strings)
MAX_LINE_BYTES = 1 << 28  # 256 MiB: a Firehose file (at most 128 MiB) of concatenated records is one line
OBJECT_BOUNDARY = r"\}\s*\{"  # where one concatenated object ends and the next begins
# a record is a JSON object (or an array of them); a scalar on a line is as malformed as broken JSON
RECORD_TEST = "coalesce(case when json_valid(text) then json_type(text) in ('OBJECT', 'ARRAY') end, false)"


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB in UTC (timestamps with an offset are converted to UTC, then stored naive)."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute("set enable_progress_bar = false")
    return con


def sql_text(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def expand_paths(paths: list[str], what: str) -> list[Path]:
    """Files named by PATH arguments: files, directories (every file below, as an S3 prefix is laid out) or globs.

    A path that matches nothing is an error: an import that silently read nothing would look like a quiet day.
    """
    files: list[Path] = []
    for raw in paths:
        matched = [Path(p) for p in sorted(glob.glob(raw))] or ([Path(raw)] if Path(raw).exists() else [])
        if not matched:
            raise ImportFailed(f"{what}: {raw} does not exist")
        for path in matched:
            if path.is_dir():
                files.extend(sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")))
            else:
                files.append(path)
    unique = list(dict.fromkeys(p.resolve() for p in files))
    if not unique:
        raise ImportFailed(f"{what}: no files found in {', '.join(paths)}")
    return unique


def delivered_at(path: Path) -> dt.datetime:
    """The file's delivery time (its modification time, UTC, whole seconds): `_extracted_at` where the export
    carries no "last updated" time of its own."""
    return dt.datetime.fromtimestamp(int(os.stat(path).st_mtime), tz=dt.UTC).replace(tzinfo=None)


@dataclass
class RecordsRead:
    """What `read_records` left in DuckDB table ``<name>``: (file, line, part, r), parsed records only."""

    table: str
    files: list[Path]
    malformed: int
    malformed_examples: list[dict]


def _csv_lines(files: list[str]) -> str:
    """DuckDB's CSV reader as a line reader (a delimiter and no quote that JSON text never contains)."""
    listed = "[" + ", ".join(sql_text(f) for f in files) + "]"
    return (
        f"read_csv({listed}, columns = {{'text': 'VARCHAR'}}, delim = {sql_text(SEP)}, quote = '', "
        f"escape = '', header = false, auto_detect = false, compression = 'auto', strict_mode = false, "
        f"max_line_size = {MAX_LINE_BYTES}, filename = true)"
    )


def parse(structure: dict, text: str = "text") -> str:
    """One JSON parse of `text` into `structure` (DuckDB's from_json); null when the text is not JSON."""
    return f"try(from_json({text}, {sql_text(json.dumps(structure))}))"


def read_records(con: duckdb.DuckDBPyConnection, files: list[Path], name: str, structure: dict) -> RecordsRead:
    """Parse every JSON record of `files` into table `name` (file, line, part, r STRUCT per `structure`);
    pieces that are not JSON into ``<name>_malformed`` (file, line, part, text).

    Fast path: all files in one parallel scan, each line parsed once. Only a file with a line that does not
    parse (or holds an array) is read again line-numbered, split where one object ends and the next begins
    and, when most of it still does not parse, read as one (pretty-printed) document. A record from a clean
    file carries no line number (null): its file and its id identify it.
    """
    paths = [str(p) for p in files]
    con.execute(f"""
        create or replace temp table {name} as
        select filename as file, cast(null as bigint) as line, 1 as part,
            case when left(text, 1) <> '[' then {parse(structure)} end as r
        from {_csv_lines(paths)}
        where text is not null and trim(text) <> ''
    """)
    # a line that is not one JSON object (broken, concatenated objects, an array, a pretty-printed document)
    dirty = [f for (f,) in con.execute(f"select distinct file from {name} where r is null").fetchall()]
    if dirty:
        con.execute(f"delete from {name} where file in (select unnest(?::varchar[]))", [dirty])
    con.execute(f"create or replace temp table {name}_pieces (file varchar, line bigint, part bigint, text varchar)")
    for file in dirty:
        con.execute(f"""
            insert into {name}_pieces
            with lines as (
                select filename as file, row_number() over () as line, text from {_csv_lines([file])}
            ),
            kept as (
                select file, line, text from lines where text is not null and trim(text) <> ''
            ),
            split as (
                select file, line,
                    string_split(regexp_replace(text, {sql_text(OBJECT_BOUNDARY)}, '}}' || chr(1) || '{{', 'g'),
                        chr(1)) as pieces
                from kept where not ({RECORD_TEST})
            )
            select file, line, 1 as part, text from kept where {RECORD_TEST}
            union all
            select file, line, generate_subscripts(pieces, 1) as part, unnest(pieces) as text from split
        """)
        # most lines still not records: perhaps one pretty-printed document
        bad, good = con.execute(
            f"""
            select count(*) filter (where not ({RECORD_TEST})), count(*) filter (where {RECORD_TEST})
            from {name}_pieces where file = ?
        """,
            [file],
        ).fetchone()
        if bad <= good:
            continue
        try:
            doc = con.execute(
                f"select json from read_json_objects({sql_text(file)}, format = 'unstructured', "
                f"compression = 'auto_detect', maximum_object_size = {MAX_LINE_BYTES})"
            ).fetchall()
        except duckdb.Error:
            continue
        con.execute(f"delete from {name}_pieces where file = ?", [file])
        con.executemany(
            f"insert into {name}_pieces values (?, ?, 1, ?)", [(file, i + 1, text) for i, (text,) in enumerate(doc)]
        )
    con.execute(f"""
        insert into {name}
        with valid as (
            select file, line, part, text from {name}_pieces where {RECORD_TEST}
        ),
        arrays as (
            select file, line, unnest(from_json(text, '["JSON"]')) as element,
                generate_subscripts(from_json(text, '["JSON"]'), 1) as part
            from valid where json_type(text) = 'ARRAY'
        )
        select file, line, part, {parse(structure)} from valid where json_type(text) <> 'ARRAY'
        union all
        select file, line, part, {parse(structure, "element")} from arrays
    """)
    con.execute(f"""
        create or replace temp table {name}_malformed as
        select file, line, part, left(text, 120) as text from {name}_pieces where not ({RECORD_TEST})
    """)
    con.execute(f"drop table {name}_pieces")
    malformed = con.execute(f"select count(*) from {name}_malformed").fetchone()[0]
    examples = [
        {"file": f, "line": ln, "part": p, "text": t}
        for f, ln, p, t in con.execute(f"select * from {name}_malformed order by file, line, part limit 5").fetchall()
    ]
    return RecordsRead(name, files, malformed, examples)


def example_sql(id_expr: str, item: str | None = None) -> str:
    """SQL text naming one record for the report: its id, file, line (when known) and place on the line."""
    where = " || coalesce(' line ' || line, '') || case when part > 1 then ' object ' || part else '' end" + (
        f" || case when {item} > 0 then ' item ' || {item} else '' end" if item else ""
    )
    return f"coalesce({id_expr}, '?') || ' (' || file{where} || ')'"


def require_shape(con: duckdb.DuckDBPyConnection, records: RecordsRead, keys: list[str], expected: str) -> None:
    """Stop when a file is not the expected export at all: no record in it has any of `keys` (fields of the
    parsed structure). A file with no parseable JSON is also refused (a CSV or a binary given by mistake)."""
    key_test = " or ".join(f"r.{k} is not null" for k in keys)
    good = {f for (f,) in con.execute(f"select distinct file from {records.table} where {key_test}").fetchall()}
    for path in records.files:
        if str(path) in good:
            continue
        try:
            seen = con.execute(
                f"select distinct unnest(json_keys(text)) from {_csv_lines([str(path)])} "
                f"where json_valid(text) and json_type(text) = 'OBJECT' limit 8"
            ).fetchall()
        except duckdb.Error:
            seen = []
        found = ", ".join(k for (k,) in seen) if seen else "no JSON object at all"
        raise ImportFailed(f"{path}: not {expected} (expected JSON objects with {' or '.join(keys)}; found: {found})")
