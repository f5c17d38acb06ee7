"""The machine-readable contract (switchboard/contract.py) says what the landing contract spec says.

The spec (``../shared/spec/landing-contract.md``, or ``$SWITCHBOARD_SPEC_DIR/landing-contract.md``) is prose and
Markdown tables written for people; contract.py is its hand copy that the generator, the validation and every
generated dbt file read. This module parses the spec and fails, naming each difference, when a table, column,
type, key, kind, enumeration, scale, PII flag, bad-row rule or rule scope (future_timestamp / orphan_reference
"checked on") differs. A spec that cannot be parsed any more fails too, instead of comparing nothing.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from switchboard import contract, settings

SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")

# Where the spec is silent and contract.py deliberately says more (each reported upstream; the test fails when the
# spec starts saying something here, so the entry is revisited): (table, column) -> why.
SPEC_SILENT_ENUMERATIONS = {
    ("finance/budget", "category"): (
        "the spec's budget table has no meaning column; a budget line is compared with the ledger's costs per "
        "category, so the contract enumerates the finance/cost_ledger categories (unknown_value on a new one)"
    ),
}

# Where the spec's bad-row rules are silent and contract.py deliberately enforces more (reported upstream; the test
# fails when the spec's rule text starts naming it, so the entry is revisited): rule -> (words the spec would use,
# why). The spec scopes out_of_range to scales and future_timestamp to a row's own _extracted_at; neither stops a
# segment dated 1900, or dated 2099 together with its _extracted_at (issue 16), so every ts and date column and
# _extracted_at also gets the plausible window of contract.WINDOW_VARS (docs/staging.md).
SPEC_SILENT_RULE_SCOPES = {
    "out_of_range": (
        ("earliest", "window", "1900"),
        "also every ts/date column and _extracted_at before var landing_earliest_event_date (historic columns such "
        "as customers.created_at and hire_date excepted)",
    ),
    "future_timestamp": (
        ("clock", "window", "build", "tolerance"),
        "also every ts/date column and _extracted_at after the build's clock + var landing_future_tolerance_hours "
        "(planned columns: + var landing_planning_horizon_days)",
    ),
}
# The spec's words for the planned times of the future_timestamp rule that are neither a table nor a column name.
SPEC_PLANNED_WORDS = {"schedules": "wfm/schedule_activities", "hire dates": "hire_date"}


def spec_path() -> Path:
    """Where the spec lives: $SWITCHBOARD_SPEC_DIR, else ../shared/spec next to the project."""
    root = os.environ.get("SWITCHBOARD_SPEC_DIR")
    return (
        Path(root) / "landing-contract.md"
        if root
        else settings.PROJECT_DIR.parent / "shared" / "spec" / "landing-contract.md"
    )


@dataclass
class SpecColumn:
    name: str
    type: str
    meaning: str

    @property
    def pii(self) -> bool:
        return "**PII**" in self.meaning

    @property
    def enum(self) -> tuple[str, ...] | None:
        """The enumeration a ``str`` column's meaning lists (``a, b, c``), else None."""
        if self.type != "str":
            return None
        text = self.meaning.replace("**PII**", "")
        text = text.split(";")[0]
        text = re.sub(r"\([^)]*\)", "", text)  # remarks: "blocked (no trunk/queue full)"
        text = re.sub(r"^[^:,]*:", "", text)  # a lead-in: "outbound only: sale, ..."
        ranged = re.fullmatch(r"\s*([a-z]+)(\d+)\s*…\s*\1(\d+)\s*", text)  # "sev1 … sev4"
        if ranged:
            stem, lo, hi = ranged.group(1), int(ranged.group(2)), int(ranged.group(3))
            return tuple(f"{stem}{i}" for i in range(lo, hi + 1))
        values = tuple(v.strip() for v in text.split(","))
        if len(values) < 2 or not all(SNAKE.match(v) for v in values):
            return None
        return values

    @property
    def scale(self) -> tuple[float, float] | None:
        """The closed scale a numeric column's meaning starts with ("1–5", "−1 … 1", "1 (new) … 5 (expert)")."""
        if self.type not in ("int", "dec"):
            return None
        text = re.sub(r"\([^)]*\)", "", self.meaning).replace("−", "-")
        found = re.match(r"\s*(-?\d+(?:\.\d+)?)\s*(?:–|…)\s*(-?\d+(?:\.\d+)?)", text)
        return (float(found.group(1)), float(found.group(2))) if found else None


@dataclass
class SpecTable:
    id: str
    columns: list[SpecColumn] = field(default_factory=list)
    key: tuple[str, ...] = ()
    kind: str = "event"


@dataclass
class Spec:
    tables: dict[str, SpecTable]
    rules: tuple[str, ...]
    rule_text: dict[str, str]


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _kind(text: str) -> str:
    if "full extract" in text:
        return "full_extract"
    if "versioned" in text:
        return "versioned"
    if "published_at" in text:
        return "schedule"
    return "event"


def parse_spec(text: str) -> Spec:
    """Tables (columns, types, meanings), the keys table and the bad-row rules of the spec's Markdown."""
    tables: dict[str, SpecTable] = {}
    keys: dict[str, tuple[tuple[str, ...], str]] = {}
    rules: list[str] = []
    rule_text: dict[str, str] = {}
    section = None
    current: SpecTable | None = None
    for line in text.splitlines():
        heading = re.match(r"^(#{2,3}) (.*)$", line)
        if heading:
            title = heading.group(2).strip()
            table = re.match(r"^([a-z]+/[a-z_]+)\b", title)
            current = tables.setdefault(table.group(1), SpecTable(table.group(1))) if table else None
            section = title if heading.group(1) == "##" else section
            continue
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        cells = _cells(line)
        if cells[0] in ("column", "table", "rule", "seed"):
            continue  # a header row
        if section == "Keys and versions" and "/" in cells[0]:
            keys[cells[0]] = (tuple(k.strip() for k in cells[1].split(",")), _kind(cells[2]))
        elif section == "Bad rows":
            rule = cells[0].strip("`")
            rules.append(rule)
            rule_text[rule] = cells[1]
        elif current is not None:
            for name in cells[0].split(","):
                current.columns.append(SpecColumn(name.strip(), cells[1], cells[2] if len(cells) > 2 else ""))
    for table_id, (key, kind) in keys.items():
        tables.setdefault(table_id, SpecTable(table_id)).key = key
        tables[table_id].kind = kind
    return Spec(tables, tuple(rules), rule_text)


def _short_names(spec: Spec) -> dict[str, str]:
    """The spec's rule texts name tables without their system: short name -> system/name."""
    return {table_id.split("/")[1]: table_id for table_id in spec.tables}


def future_checked(spec: Spec) -> dict[str, tuple[str, ...]]:
    """Columns each table's future_timestamp check covers, from the rule's "checked on:" list."""
    text = spec.rule_text["future_timestamp"].split("checked on:")[1].split(". ")[0]
    short = _short_names(spec)
    out: dict[str, list[str]] = {}
    for item in (i.strip().rstrip(".") for i in text.split(",")):
        head, _, rest = item.partition(" ")
        table_name, _, column = head.partition(".")
        table_id = short[table_name]
        if column:
            columns = [column]
        elif "all its timestamps" in rest:
            columns = [c.name for c in spec.tables[table_id].columns if c.type == "ts" and c.name != "_extracted_at"]
        else:
            columns = [c.strip() for c in rest.split(" and ")]
        out.setdefault(table_id, []).extend(columns)
    return {k: tuple(v) for k, v in out.items()}


def orphan_references(spec: Spec) -> set[tuple[str, str, str]]:
    """(table, column, parent) of the orphan_reference rule's "checked on:" list; parent "seed:x" or a table id."""
    text = spec.rule_text["orphan_reference"].split("checked on:")[1].split(". ")[0]
    short = _short_names(spec)
    out = set()
    for item in (i.strip().rstrip(".") for i in text.split(",")):
        left, _, right = item.partition("→")
        right = right.strip()
        parent = "seed:" + right.split()[1] if right.startswith("seed ") else short[right]
        if "`" in left:  # "a / b / c `.segment_id`"
            names, column = left.split("`")[0], left.split("`")[1].lstrip(".")
            children = [n.strip() for n in names.split("/")]
        else:
            table_name, _, column = left.strip().partition(".")
            children = [table_name]
        for child in children:
            out.add((short[child], column, parent))
    return out


@pytest.fixture(scope="module")
def spec() -> Spec:
    path = spec_path()
    if not path.exists():
        pytest.skip(f"the landing contract spec is not at {path} (set SWITCHBOARD_SPEC_DIR)")
    parsed = parse_spec(path.read_text(encoding="utf-8"))
    # the parser must still understand the spec: 20 tables with keys and columns, 7 rules
    assert len(parsed.tables) >= 20 and all(t.columns and t.key for t in parsed.tables.values()), parsed.tables.keys()
    assert len(parsed.rules) >= 7
    return parsed


def test_tables(spec: Spec) -> None:
    assert sorted(spec.tables) == sorted(t.id for t in contract.TABLES)


@pytest.mark.parametrize("table_id", [t.id for t in contract.TABLES])
def test_columns_types_pii_enumerations_scales(spec: Spec, table_id: str) -> None:
    ours = contract.table(table_id)
    theirs = spec.tables[table_id]
    differences = []
    if [c.name for c in theirs.columns] != ours.column_names:
        differences.append(f"columns: spec {[c.name for c in theirs.columns]} != contract.py {ours.column_names}")
    for column in theirs.columns:
        if column.name not in ours.column_names:
            continue
        mine = ours.column(column.name)
        if column.type != mine.type:
            differences.append(f"{column.name}: type {column.type} in the spec, {mine.type} in contract.py")
        if column.pii != mine.pii:
            differences.append(f"{column.name}: PII {column.pii} in the spec, {mine.pii} in contract.py")
        if (table_id, column.name) in SPEC_SILENT_ENUMERATIONS:
            if column.enum is not None or column.meaning:
                differences.append(
                    f"{column.name}: the spec now says {column.meaning!r}; revisit SPEC_SILENT_ENUMERATIONS"
                )
        elif column.enum != mine.enum:
            differences.append(f"{column.name}: enumeration {column.enum} in the spec, {mine.enum} in contract.py")
        if column.scale is not None and column.scale != (mine.min, mine.max):
            differences.append(
                f"{column.name}: scale {column.scale} in the spec, ({mine.min}, {mine.max}) in contract.py"
            )
    assert not differences, f"{table_id}:\n" + "\n".join(differences)


@pytest.mark.parametrize("table_id", [t.id for t in contract.TABLES])
def test_key_and_kind(spec: Spec, table_id: str) -> None:
    ours = contract.table(table_id)
    assert spec.tables[table_id].key == ours.key
    assert spec.tables[table_id].kind == ours.kind


def test_rules_in_order(spec: Spec) -> None:
    assert spec.rules == contract.RULES


def test_future_timestamp_scope(spec: Spec) -> None:
    assert future_checked(spec) == {t.id: t.future_checked for t in contract.TABLES if t.future_checked}


@pytest.mark.parametrize("rule", sorted(SPEC_SILENT_RULE_SCOPES))
def test_window_checks_are_a_named_exception_the_spec_is_silent_on(spec: Spec, rule: str) -> None:
    """contract.py enforces the plausible window under this rule while the spec's text is silent on it."""
    words, why = SPEC_SILENT_RULE_SCOPES[rule]
    said = [w for w in words if w in spec.rule_text[rule].lower()]
    assert not said, f"the spec's {rule} now mentions {said}; revisit SPEC_SILENT_RULE_SCOPES ({why})"
    assert rule in contract.RULES and len(contract.WINDOW_VARS) == 3
    assert all("_extracted_at" in t.window_columns for t in contract.TABLES)


def test_planned_times_of_the_spec_are_planned_in_the_contract(spec: Spec) -> None:
    """What the spec says may lie in the future ("Planned and due times (...)") may lie ahead of the build's clock up
    to the planning horizon in contract.py, instead of failing future_timestamp after the tolerance."""
    found = re.search(r"Planned and due times \(([^)]*)\) may lie in the future", spec.rule_text["future_timestamp"])
    assert found, "the spec's future_timestamp rule no longer lists its planned times"
    short = _short_names(spec)
    missing = []
    for word in (w.strip() for w in found.group(1).split(",")):
        target = SPEC_PLANNED_WORDS.get(word, short.get(word, word))
        if "/" in target:
            if not contract.table(target).planned:
                missing.append(f"{word}: {target} has no planned column")
            continue
        holders = [t for t in contract.TABLES if target in t.column_names]
        assert holders, f"the spec's planned time {word!r} is neither a table nor a column of the contract"
        missing += [f"{word}: {t.id}.{target} is not planned" for t in holders if target not in t.planned]
    assert not missing, missing


def test_orphan_reference_scope(spec: Spec) -> None:
    assert orphan_references(spec) == {(t.id, c, p) for t in contract.TABLES for c, p in t.references}


def test_parser_sees_a_difference() -> None:
    """The comparison can fail: a spec with one enumeration value changed parses to a different enumeration."""
    text = "### acd/agent_state_changes — x\n| column | type | meaning |\n|---|---|---|\n| state | str | on, off |\n"
    parsed = parse_spec(text).tables["acd/agent_state_changes"]
    assert parsed.columns[0].enum == ("on", "off") != contract.table("acd/agent_state_changes").column("state").enum
