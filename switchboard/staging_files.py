"""Every dbt file that follows mechanically from :mod:`switchboard.contract`, written by ``switchboard contract``.

Adding a column or a landing table is an edit of contract.py followed by ``switchboard contract``; this module
turns the contract into:

- ``models/staging/<system>/_<system>__sources.yml`` and ``macros/staging/landing_contract.sql``
  (:mod:`switchboard.sources_yaml`);
- ``models/staging/<system>/base_<system>__<table>.sql``: its incremental config and one call of
  ``stage_classified_rows``;
- ``models/staging/<system>/stg_<system>__<table>.sql`` for every table whose staging only types and cleans
  (one call of ``stage_clean_rows``); the tables in :data:`HAND_WRITTEN` have a hand-written stg_ model instead;
- ``models/data_quality/quarantine_<system>__<table>.sql``: one call of ``quarantine_rows``;
- ``models/staging/<system>/_<system>__models.yml``: descriptions and data tests of the base_ and stg_ models
  (hand-written ones too: their extra columns are declared here), and
  ``models/data_quality/_quarantine__models.yml`` for the quarantine models.

``switchboard contract --check`` (``make lint``) fails on a generated file that is stale, missing, or extra (a
file carrying the GENERATED header that the contract no longer produces), and on a hand-written stg_ model that
is missing or that the contract would generate.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from switchboard import contract, settings, sources_yaml

MARKER = "GENERATED from switchboard/contract.py by `switchboard contract`"
SQL_HEADER = "{{#- {marker} - do not edit by hand.\n    {what} -#}}\n"
YAML_HEADER = "# {marker} - do not edit by hand.\n# {what}\n"

STAGING_DIR = Path("models") / "staging"
DATA_QUALITY_DIR = Path("models") / "data_quality"
GENERATED_DIRS = (STAGING_DIR, DATA_QUALITY_DIR, Path("macros") / "staging")

STATUSES = ("quarantined", "superseded", "staged")
META_DOCS = ("_extracted_at", "_source_file", "_unparseable_column", "_unparseable_value")


@dataclass(frozen=True)
class Derived:
    """A column a hand-written stg_ model adds (or puts in place of a PII column)."""

    name: str
    description: str
    not_null: bool = False


@dataclass(frozen=True)
class HandWritten:
    """A stg_ model with logic beyond typing and cleaning: what its generated YAML says about it."""

    description: str
    drop: tuple[str, ...] = ()  # contract columns it does not pass on (PII)
    after: dict[str, tuple[Derived, ...]] = field(default_factory=dict)  # column -> what follows it

    def columns(self, table: contract.Table) -> list[str | Derived]:
        out: list[str | Derived] = []
        for name in table.column_names:
            if name not in self.drop:
                out.append(name)
            out.extend(self.after.get(name, ()))
        return out


SOURCE_FILE = Derived("_source_file", "{{ doc('stg_source_file') }}")
SCD2 = (  # the validity stage_clean_rows gives a full extract's versions
    Derived("valid_from", "{{ doc('stg_valid_from') }}", not_null=True),
    Derived("valid_to", "{{ doc('stg_valid_to') }}"),
    Derived("is_current", "{{ doc('stg_is_current') }}"),
)

# The stg_ models written by hand, each for the reason in its header comment.
HAND_WRITTEN: dict[str, HandWritten] = {
    "acd/contact_segments": HandWritten(
        "Staged segments of acd/contact_segments: one row per segment_id (the latest valid delivery), enumerations "
        "cleaned, customer_address replaced by a salted hash, plus the site of the queue and the local time and "
        "date of initiated_at in that site's time zone.",
        drop=("customer_address",),
        after={
            "queue_id": (
                Derived("site_id", "Site of the segment's queue (seed queues); null for segments without a queue."),
            ),
            "customer_address": (
                Derived(
                    "customer_address_hash",
                    "Salted SHA-256 of the trimmed, lower-cased customer_address (PII; the clear value never "
                    "leaves staging).",
                ),
            ),
            "initiated_at": (
                Derived(
                    "initiated_local_at", "initiated_at in the site's local time (DST-correct); null without a site."
                ),
                Derived(
                    "initiated_local_date", "Local calendar date of initiated_at at the site; null without a site."
                ),
            ),
            "_extracted_at": (SOURCE_FILE,),
        },
    ),
    "survey/contact_surveys": HandWritten(
        "Current state of survey/contact_surveys: per key (response_id) the latest valid version; the free-text "
        "comment (PII) reduced to has_comment.",
        drop=("comment",),
        after={
            "comment": (
                Derived("has_comment", "The respondent wrote a comment (the text itself is PII and is dropped)."),
            ),
            "_extracted_at": (SOURCE_FILE,),
        },
    ),
    "wfm/schedule_activities": HandWritten(
        "Every staged publication of wfm/schedule_activities (key agent_id, schedule_date, published_at, "
        "starts_at): each publication is its own key, so none supersedes another here; is_current_publication "
        "marks the latest publication per agent and schedule date, which is the schedule.",
        after={
            "_extracted_at": (
                SOURCE_FILE,
                Derived(
                    "is_current_publication",
                    "True on the rows of the latest publication (published_at) of the agent and schedule date: the "
                    "schedule in force.",
                    not_null=True,
                ),
            )
        },
    ),
}

# stg_ models that stage no single landing table (the labour-cost privacy gate over hr/employees), as YAML.
DERIVED_MODELS: dict[str, list[dict]] = {
    "hr": [
        {
            "name": "stg_hr__labour_cost_rates",
            "description": (
                "Loaded hourly labour cost per site and month, the only form in which hr/employees.hourly_cost "
                "(PII) leaves staging. The population is every employee on the payroll (hired, not terminated "
                "before the month) in the month's last employee extract; a (site, month) with fewer than "
                "var('pii_min_group_size') (5) people is not published at all."
            ),
            "data_tests": [
                {
                    "unique_combination_of_columns": {
                        "arguments": {"combination_of_columns": ["period_month", "site_id"]}
                    }
                }
            ],
            "columns": [
                {"name": "period_month", "description": "First day of the month.", "data_tests": ["not_null"]},
                {"name": "site_id", "description": "Site of the employees (null if the extract gives none)."},
                {"name": "headcount", "description": "Employees in the aggregate (always at least 5)."},
                {"name": "fte_total", "description": "Sum of their FTE."},
                {
                    "name": "avg_hourly_cost",
                    "description": "Mean loaded hourly cost per person, in the site's currency.",
                },
                {
                    "name": "fte_weighted_hourly_cost",
                    "description": (
                        "Loaded hourly cost weighted by FTE (Σ hourly_cost × fte / Σ fte); null when Σ fte is 0."
                    ),
                },
            ],
        }
    ],
}


def _systems() -> list[str]:
    return sorted({t.system for t in contract.TABLES}, key=list(sources_yaml.SYSTEM_DESCRIPTIONS).index)


def _tables(system: str) -> list[contract.Table]:
    return [t for t in contract.TABLES if t.system == system]


def _accepted(values: tuple[str, ...] | list[str]) -> dict:
    return {"accepted_values": {"arguments": {"values": list(values)}}}


def _doc(name: str) -> str:
    return f"{{{{ doc('stg{name}') }}}}"


def _meta_column(name: str, tests: list | None = None) -> dict:
    out: dict = {"name": name, "description": _doc(name)}
    if tests:
        out["data_tests"] = tests
    return out


def _unique_tests(key: tuple[str, ...]) -> tuple[list, dict[str, list]]:
    """Model-level and column-level tests of a grain: `unique` on a one-column key, else the combination."""
    if len(key) == 1:
        return [], {key[0]: ["unique"]}
    return [{"unique_combination_of_columns": {"arguments": {"combination_of_columns": list(key)}}}], {}


def base_model(t: contract.Table) -> dict:
    description = (
        f"Every raw row of landing table {t.id} ({t.kind}), classified: contract columns as received (typed by "
        f"the landing view), the first bad-row rule broken and the row's status. Key: {', '.join(t.key)}."
    )
    if t.pii_columns:
        description += (
            f" Holds clear PII ({', '.join(t.pii_columns)}): nothing downstream of staging may read it except the "
            "stg_/quarantine_ models."
        )
    columns = [{"name": c.name, "description": c.description} for c in t.columns if c.name != "_extracted_at"]
    columns += [_meta_column(name) for name in META_DOCS] + [
        _meta_column("_row_hash"),
        _meta_column("_rule", [_accepted(contract.RULES)]),
        _meta_column("_rule_column"),
        _meta_column("_status", ["not_null", _accepted(STATUSES)]),
        _meta_column("_row_count", ["not_null"]),
    ]
    return {"name": f"base_{t.relation}", "description": description, "columns": columns}


def _stg_column(t: contract.Table, name: str, key: tuple[str, ...], column_tests: dict[str, list]) -> dict:
    if name == "_extracted_at":
        return _meta_column(name, ["not_null"])
    col = t.column(name)
    tests: list = []
    if name in key:
        tests.append("not_null")
    tests += column_tests.get(name, [])
    description = col.description
    if col.enum:
        description += " Trimmed and lower-cased."
        tests.append(_accepted(col.enum))
    for column, parent in t.references:
        if column == name and parent.startswith("seed:"):
            tests.append({"relationships": {"arguments": {"to": f"ref('{parent[5:]}')", "field": name}}})
    out: dict = {"name": name, "description": description}
    if tests:
        out["data_tests"] = tests
    return out


def stg_model(t: contract.Table) -> dict:
    hand = HAND_WRITTEN.get(t.id)
    grain = t.key
    if hand:
        description = hand.description
        columns: list[str | Derived] = hand.columns(t)
    else:
        columns = [*(c.name for c in t.columns if not c.pii), SOURCE_FILE]  # stage_clean_rows drops PII
        if t.kind == "full_extract":
            description = f"SCD2 history of {t.id}: one row per version of each {', '.join(t.key)}."
            columns += SCD2
            grain = (*t.key, "valid_from")
        elif t.kind == "versioned":
            description = f"Current state of {t.id}: per key ({', '.join(t.key)}) the latest valid version."
        else:
            description = f"Staged rows of {t.id}: one row per key ({', '.join(t.key)}), the latest valid delivery."
    model_tests, column_tests = _unique_tests(grain)
    rendered = []
    for column in columns:
        if isinstance(column, Derived):
            entry: dict = {"name": column.name, "description": column.description}
            tests = (["not_null"] if column.not_null else []) + column_tests.get(column.name, [])
            if tests:
                entry["data_tests"] = tests
            rendered.append(entry)
        else:
            rendered.append(_stg_column(t, column, t.key, column_tests))
    out: dict = {"name": f"stg_{t.relation}", "description": description}
    if model_tests:
        out["data_tests"] = model_tests
    out["columns"] = rendered
    return out


def quarantine_model(t: contract.Table) -> dict:
    dropped = [c.name for c in t.columns if c.pii and c.type != "str"]
    description = (
        f"Rows of {t.id} that break a rule of the landing contract, with the rule's name, the column that broke it "
        "and the original values (PII hashed)."
    )
    if dropped:
        description += f" {', '.join(dropped)} {'is' if len(dropped) == 1 else 'are'} dropped (PII)."
    columns = [
        _meta_column("_rule", ["not_null", _accepted(contract.RULES)]),
        _meta_column("_rule_column"),
        *(_meta_column(name) for name in META_DOCS),
    ]
    for c in t.columns:
        if c.name == "_extracted_at" or c.name in dropped:
            continue
        if c.pii:
            columns.append({"name": f"{c.name}_hash", "description": f"Salted hash of {c.name} (PII, as received)."})
        else:
            columns.append({"name": c.name, "description": f"{c.description} As received."})
    return {"name": f"quarantine_{t.relation}", "description": description, "columns": columns}


def _yaml(what: str, doc: dict) -> str:
    body = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=110)
    return YAML_HEADER.format(marker=MARKER, what=what) + body


def _sql(what: str, call: str) -> str:
    what = "\n    ".join(textwrap.wrap(what, width=110))
    return SQL_HEADER.format(marker=MARKER, what=what) + "\n" + call + "\n"


def render_models_yaml(system: str) -> str:
    models: list[dict] = []
    for t in _tables(system):
        models += [base_model(t), stg_model(t)]
    models += DERIVED_MODELS.get(system, [])
    return _yaml(
        f"The base_ and stg_ models of {system}: columns, descriptions and data tests.",
        {
            "version": 2,
            "models": models,
        },
    )


def render_quarantine_yaml() -> str:
    return _yaml(
        "The quarantine models of every landing table.",
        {
            "version": 2,
            "models": [quarantine_model(t) for t in contract.TABLES],
        },
    )


def _call(macro: str, t: contract.Table) -> str:
    return f"{{{{ {macro}('{t.system}', '{t.name}') }}}}"


def _base_config(t: contract.Table) -> str:
    """The config of a base_ model: incremental by landing file on DuckDB, delete+insert by the contract key."""
    args = (t.system, t.name)
    return (
        "{{ config(\n"
        "    materialized=staging_base_materialization(),\n"
        "    incremental_strategy='delete+insert',\n"
        f"    unique_key={list(t.key)!r},\n"
        "    on_schema_change='fail',\n"
        f'    pre_hook="{{{{ staging_reprocess_hook{args!r} }}}}",\n'
        f'    post_hook="{{{{ staging_record_processed{args!r} }}}}",\n'
        ") }}"
    )


def expected_files() -> dict[Path, str]:
    """Project-relative path -> content of every file `switchboard contract` writes."""
    files: dict[Path, str] = {}
    for system in _systems():
        folder = STAGING_DIR / system
        files[folder / f"_{system}__sources.yml"] = sources_yaml.render(system)
        files[folder / f"_{system}__models.yml"] = render_models_yaml(system)
        for t in _tables(system):
            files[folder / f"base_{t.relation}.sql"] = _sql(
                f"Every raw row of {t.id}, exactly once, classified by the landing contract (macros/staging/"
                "stage_rows.sql): the only model that reads this landing table. Incremental by landing file "
                "on DuckDB (macros/staging/increments.sql).",
                _base_config(t) + "\n\n" + _call("stage_classified_rows", t),
            )
            if t.id not in HAND_WRITTEN:
                files[folder / f"stg_{t.relation}.sql"] = _sql(
                    f"Staged rows of {t.id}: typed, enumerations cleaned, PII dropped, SCD2 validity for a full "
                    "extract "
                    "(no logic beyond that; a table that needs some gets a hand-written stg_ model listed in "
                    "switchboard/staging_files.py).",
                    _call("stage_clean_rows", t),
                )
            files[DATA_QUALITY_DIR / f"quarantine_{t.relation}.sql"] = _sql(
                f"Quarantined rows of {t.id}: the rule broken, the extract time and the original values, PII "
                "hashed (macros/staging/stage_rows.sql).",
                _call("quarantine_rows", t),
            )
    files[DATA_QUALITY_DIR / "_quarantine__models.yml"] = render_quarantine_yaml()
    files[Path("macros") / "staging" / "landing_contract.sql"] = sources_yaml.render_contract_macro()
    return files


def _is_generated(path: Path) -> bool:
    """A generated file says so on its first line (a file that merely mentions the generator does not count)."""
    with path.open(encoding="utf-8") as handle:
        first = handle.readline()
    return MARKER in first and first.startswith(("{#- ", "# "))


def _generated_on_disk(root: Path) -> set[Path]:
    found = set()
    for folder in GENERATED_DIRS:
        for path in (root / folder).rglob("*"):
            if path.is_file() and path.suffix in (".sql", ".yml") and _is_generated(path):
                found.add(path.relative_to(root))
    return found


def problems(root: Path | None = None) -> list[str]:
    """What is out of sync with the contract: stale, missing and extra generated files, hand-written clashes."""
    root = root or settings.PROJECT_DIR
    expected = expected_files()
    out = []
    for path, text in expected.items():
        full = root / path
        if not full.exists():
            out.append(f"missing: {path}")
        elif full.read_text(encoding="utf-8") != text:
            hand = not _is_generated(full)
            out.append(f"{'hand-written, but generated from the contract' if hand else 'stale'}: {path}")
    for path in sorted(_generated_on_disk(root) - set(expected)):
        out.append(f"extra (generated, no longer produced by the contract): {path}")
    for table_id in HAND_WRITTEN:
        t = contract.table(table_id)
        path = STAGING_DIR / t.system / f"stg_{t.relation}.sql"
        if not (root / path).exists():
            out.append(f"missing hand-written stg_ model of {table_id}: {path}")
    for system, models in DERIVED_MODELS.items():
        for model in models:
            path = STAGING_DIR / system / f"{model['name']}.sql"
            if not (root / path).exists():
                out.append(f"missing hand-written model: {path}")
    return out


def write(root: Path | None = None) -> list[Path]:
    """Write every generated file and delete generated files the contract no longer produces."""
    root = root or settings.PROJECT_DIR
    expected = expected_files()
    changed = []
    for path in sorted(_generated_on_disk(root) - set(expected)):
        (root / path).unlink()
        changed.append(path)
    for path, text in expected.items():
        full = root / path
        if not full.exists() or full.read_text(encoding="utf-8") != text:
            full.parent.mkdir(parents=True, exist_ok=True)
            full.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
