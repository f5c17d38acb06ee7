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
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from switchboard.importers import ImportFailed

SEP = "\x01"  # never appears raw in JSON text (control characters must be escaped inside strings)
MAX_LINE_BYTES = 1 << 30  # Firehose's concatenated files are one long line
# a record is a JSON object (or an array of them); a scalar on a line is as malformed as broken JSON
RECORD_TEST = "coalesce(case when json_valid(text) then json_type(text) in ('OBJECT', 'ARRAY') end, false)"


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB in UTC (timestamps with an offset are converted to UTC, then stored naive)."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
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
    return dt.datetime.fromtimestamp(int(os.stat(path).st_mtime), tz=dt.timezone.utc).replace(tzinfo=None)


@dataclass
class ValuesRead:
    """What `read_values` left in DuckDB table ``<name>``: (file, line, part, value JSON), valid values only."""

    table: str
    files: list[Path]
    malformed: int
    malformed_examples: list[dict]


def read_values(con: duckdb.DuckDBPyConnection, files: list[Path], name: str) -> ValuesRead:
    """Load every JSON value of `files` into table `name` (file, line, part, value); malformed pieces into
    ``<name>_malformed`` (file, line, part, text)."""
    con.execute(f"create or replace temp table {name}_lines (file varchar, line bigint, text varchar)")
    for path in files:
        con.execute(
            f"insert into {name}_lines select {sql_text(str(path))}, row_number() over (), text from read_csv("
            f"{sql_text(str(path))}, columns = {{'text': 'VARCHAR'}}, delim = {sql_text(SEP)}, quote = '', "
            f"escape = '', header = false, auto_detect = false, compression = 'auto', strict_mode = false, "
            f"max_line_size = {MAX_LINE_BYTES})")
    con.execute(f"""
        create or replace temp table {name}_pieces as
        with lines as (
            select file, line, text from {name}_lines where text is not null and trim(text) <> ''
        ),
        whole as (
            select file, line, 1 as part, text from lines where json_valid(text)
        ),
        split as (
            select file, line, string_split(regexp_replace(text, '\\}}\\s*\\{{', '}}' || chr(1) || '{{', 'g'), chr(1))
                as pieces
            from lines where not json_valid(text)
        )
        select file, line, part, text from whole
        union all
        select file, line, generate_subscripts(pieces, 1) as part, unnest(pieces) as text from split
    """)
    # a file where most lines do not parse may be one pretty-printed document
    unparsed = con.execute(f"""
        select file from {name}_pieces group by file
        having count(*) filter (where {RECORD_TEST}) < count(*) filter (where not ({RECORD_TEST}))
    """).fetchall()
    for (file,) in unparsed:
        try:
            doc = con.execute(
                f"select json from read_json_objects({sql_text(file)}, format = 'unstructured', "
                f"compression = 'auto_detect', maximum_object_size = {MAX_LINE_BYTES})").fetchall()
        except duckdb.Error:
            continue
        con.execute(f"delete from {name}_pieces where file = ?", [file])
        con.executemany(f"insert into {name}_pieces values (?, ?, 1, ?)",
                        [(file, i + 1, text) for i, (text,) in enumerate(doc)])
    con.execute(f"""
        create or replace temp table {name} as
        with valid as (
            select file, line, part, cast(text as json) as value from {name}_pieces where {RECORD_TEST}
        ),
        arrays as (
            select file, line, unnest(from_json(value, '["JSON"]')) as value,
                generate_subscripts(from_json(value, '["JSON"]'), 1) as part
            from valid where json_type(value) = 'ARRAY'
        )
        select file, line, part, value from valid where json_type(value) <> 'ARRAY'
        union all
        select file, line, part, value from arrays
    """)
    con.execute(f"""
        create or replace temp table {name}_malformed as
        select file, line, part, left(text, 120) as text from {name}_pieces where not ({RECORD_TEST})
    """)
    malformed = con.execute(f"select count(*) from {name}_malformed").fetchone()[0]
    examples = [
        {"file": f, "line": ln, "part": p, "text": t}
        for f, ln, p, t in con.execute(f"select * from {name}_malformed order by file, line, part limit 5").fetchall()
    ]
    return ValuesRead(name, files, malformed, examples)


def require_shape(con: duckdb.DuckDBPyConnection, values: ValuesRead, keys: list[str], expected: str) -> None:
    """Stop when a file is not the expected export at all: no value in it has any of `keys` at the top level.

    A file with no parseable JSON is also refused (a CSV or a binary given by mistake), named in the message.
    """
    key_test = " or ".join(f"json_exists(value, {sql_text('$.' + k)})" for k in keys)
    good = {f for (f,) in con.execute(f"select distinct file from {values.table} where {key_test}").fetchall()}
    for path in values.files:
        if str(path) in good:
            continue
        seen = con.execute(
            f"select distinct unnest(json_keys(value)) from {values.table} where file = ? limit 8",
            [str(path)]).fetchall()
        found = ", ".join(k for (k,) in seen) if seen else "no JSON object at all"
        raise ImportFailed(f"{path}: not {expected} (expected JSON objects with {' or '.join(keys)}; found: {found})")
