"""Models stay adapter-neutral: engine-specific SQL lives only in dispatched macros.

Greps every model for functions and syntax that exist on only one of DuckDB and Spark (or mean different
things there). A model that needs one calls a dispatched macro instead (macros/, default__ = DuckDB, spark__).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from switchboard import settings

FORBIDDEN = {
    "'::' cast": r"::",
    "epoch()": r"\bepoch(_ms|_us|_ns)?\s*\(",
    "date_part('epoch')": r"date_part\s*\(\s*'epoch'",
    "strftime()": r"\bstrftime\s*\(",
    "strptime()": r"\bstrptime\s*\(",
    "date_diff/datediff with a string unit": r"(?<!dbt\.)\bdate_?diff\s*\(\s*'",
    "date_add/dateadd with a string unit": r"(?<!dbt\.)\bdate_?add\s*\(\s*'",
    "unix_timestamp()": r"\bunix_timestamp\s*\(",
    "from_unixtime()": r"\bfrom_unixtime\s*\(",
    "from_utc_timestamp()": r"\bfrom_utc_timestamp\s*\(",
    "to_utc_timestamp()": r"\bto_utc_timestamp\s*\(",
    "date_format()": r"\bdate_format\s*\(",
    "make_timestamp()": r"\bmake_timestamp\s*\(",
    "timezone()": r"\btimezone\s*\(",
    "generate_series()/range()": r"\b(generate_series|range)\s*\(",
    "list/struct functions": r"\b(list_\w+|struct_pack|array_agg)\s*\(",
    "regexp_matches()": r"\bregexp_matches\s*\(",
    "isodow()": r"\bisodow\s*\(",
    "interval literal": r"\binterval\s+'",
    "QUALIFY": r"\bqualify\b",
    "nvl()": r"\bnvl2?\s*\(",
    # issue 8 (Spark target): more functions, types and syntax that exist on only one engine
    "DuckDB-only type name (Spark: string, decimal(38,0))": r"\b(varchar|hugeint|ubigint|uhugeint|timestamptz)\b",
    "AT TIME ZONE": r"\bat\s+time\s+zone\b",
    "string_agg/group_concat/listagg/collect_*": r"\b(string_agg|group_concat|listagg|collect_list|collect_set)\s*\(",
    "arrays, explode, unnest": r"\b(explode|posexplode|array_contains|sequence|unnest|flatten)\s*\(",
    "LATERAL VIEW": r"\blateral\s+view\b",
    "to_date/to_timestamp with a format": r"\bto_(date|timestamp)\s*\([^()]*,",
    "engine-specific date part function": r"\b(dayname|monthname|dayofweek|dayofyear|weekofyear|yearweek|isoyear)\s*\(",
    "regexp_full_match/regexp_like/rlike": r"\b(regexp_full_match|regexp_like|rlike)\b",
    "iff()/iif()": r"\b(iff|iif)\s*\(",
    "today()/now()/current_localtimestamp()": r"\b(today|current_localtimestamp|now)\s*\(",
    "decimal without precision in a cast (Spark: decimal(10,0))": r"\bas\s+(decimal|numeric)\s*\)",
    # issue 14: hash functions differ by name and value (DuckDB hash() is 64-bit, Spark hash() 32-bit murmur3);
    # models call sb_row_hash (row identity) or sb_hash_text / sb_pii_hash (SHA-256) instead
    "hash()/xxhash64()/sha256()/sha2()": r"\b(hash|xxhash64|sha256|sha2)\s*\(",
}

# Checked on the SQL with Jinja removed: on Spark a double-quoted "name" is a string, not an identifier.
FORBIDDEN_OUTSIDE_JINJA = {
    "double-quoted identifier (a string literal on Spark)": r'"[A-Za-z_][A-Za-z0-9_ ]*"',
}


def strip_comments(sql: str) -> str:
    sql = re.sub(r"\{#.*?#\}", "", sql, flags=re.S)  # jinja comments
    sql = re.sub(r"/\*.*?\*/", "", sql, flags=re.S)
    return re.sub(r"--[^\n]*", "", sql)


def strip_jinja(sql: str) -> str:
    """Jinja expressions and statements blanked out, keeping the line numbers."""
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}", lambda match: "\n" * match.group(0).count("\n"), sql, flags=re.S)


def model_files() -> list[Path]:
    return sorted((settings.PROJECT_DIR / "models").rglob("*.sql"))


def test_there_are_models_to_check():
    assert len(model_files()) > 20


@pytest.mark.parametrize("name,pattern", sorted(FORBIDDEN.items()))
def test_no_engine_specific_sql_in_models(name, pattern):
    offenders = []
    for path in model_files():
        for number, line in enumerate(strip_comments(path.read_text()).splitlines(), 1):
            if re.search(pattern, line, flags=re.I):
                offenders.append(f"{path.relative_to(settings.PROJECT_DIR)}:{number}: {line.strip()}")
    assert not offenders, f"{name} outside a dispatched macro:\n" + "\n".join(offenders)


@pytest.mark.parametrize("name,pattern", sorted(FORBIDDEN_OUTSIDE_JINJA.items()))
def test_no_engine_specific_sql_outside_jinja(name, pattern):
    offenders = []
    for path in model_files():
        for number, line in enumerate(strip_jinja(strip_comments(path.read_text())).splitlines(), 1):
            if re.search(pattern, line, flags=re.I):
                offenders.append(f"{path.relative_to(settings.PROJECT_DIR)}:{number}: {line.strip()}")
    assert not offenders, f"{name} outside a dispatched macro:\n" + "\n".join(offenders)


def test_the_grep_catches_what_it_should():
    samples = {
        "'::' cast": "select x::int",
        "epoch()": "epoch(ts)",
        "QUALIFY": "qualify row_number() over () = 1",
        "date_diff/datediff with a string unit": "date_diff('second', a, b)",
        "DuckDB-only type name (Spark: string, decimal(38,0))": "cast(x as varchar)",
        "AT TIME ZONE": "ts at time zone 'UTC'",
        "to_date/to_timestamp with a format": "to_date(x, 'yyyy')",
        "decimal without precision in a cast (Spark: decimal(10,0))": "cast(x as decimal)",
        "engine-specific date part function": "dayofweek(d)",
        "hash()/xxhash64()/sha256()/sha2()": "hash(a, b)",
    }
    for name, sample in samples.items():
        assert re.search(FORBIDDEN[name], sample, flags=re.I), name
    assert not re.search(FORBIDDEN["date_diff/datediff with a string unit"], "{{ dbt.datediff('a', 'b', 'day') }}")
    no_precision = FORBIDDEN["decimal without precision in a cast (Spark: decimal(10,0))"]
    assert not re.search(no_precision, "cast(x as decimal(18,4))")
    quoted = FORBIDDEN_OUTSIDE_JINJA["double-quoted identifier (a string literal on Spark)"]
    assert re.search(quoted, strip_jinja('select "segment_id" from t'))
    assert not re.search(quoted, strip_jinja('{{ ref("x") }}\n{%- set a = "b" %}'))
    assert strip_jinja("a {{ b\n c }} d\ne").count("\n") == 2
    assert not re.search(FORBIDDEN["hash()/xxhash64()/sha256()/sha2()"], "{{ sb_row_hash(['a']) }} as _row_hash")


@pytest.mark.parametrize(
    "path,expected",
    [
        ("macros/staging/engine.sql", {"sb_hash_text", "sb_row_hash", "sb_to_local"}),
        ("macros/shims/time.sql", {"sb_timestamp_steps"}),
    ],
)
def test_every_engine_macro_has_a_spark_body(path, expected):
    """Each dispatched macro of the engine and time shims has a DuckDB (default__) and a Spark body."""
    text = (settings.PROJECT_DIR / path).read_text()
    defaults = set(re.findall(r"macro default__(\w+)\(", text))
    sparks = set(re.findall(r"macro spark__(\w+)\(", text))
    assert expected <= defaults
    assert defaults == sparks
