"""Write the dbt source YAML of every landing table from :mod:`switchboard.contract`.

The contract module is the single source of truth; the YAML files under
``models/staging/<system>/_<system>__sources.yml`` are generated from it and
checked in (:mod:`switchboard.staging_files` writes them with every other
generated dbt file; ``switchboard contract --check`` and a pytest keep them in sync).
Each column carries its contract type, PII flag, enumeration and range as
``meta``, which the dbt macros (landing registration, staging rules) read.
"""

from __future__ import annotations

import json

import yaml

from switchboard import contract

SYSTEM_DESCRIPTIONS = {
    "acd": "The contact platform: ACD, IVR, chat and e-mail routing.",
    "wfm": "Workforce management: published schedules and forecasts.",
    "survey": "Customer (post-contact) and employee (pulse) surveys.",
    "qa": "Quality assurance evaluations and their scored items.",
    "crm": "Customer records: customers, cases, offers and follow-ups.",
    "hr": "People: employees, teams and absences.",
    "finance": "Cost ledger and budget.",
    "ops": "Operations: technical incidents and management plan items.",
}

HEADER = (
    "# GENERATED from switchboard/contract.py by `switchboard contract` - do not edit by hand.\n"
    "# Landing tables are registered as relations by the on-run-start macro register_landing().\n"
)


def _column(col: contract.Column) -> dict:
    meta: dict = {"contract_type": col.type}
    if col.enum:
        meta["enum"] = list(col.enum)
    if col.min is not None:
        meta["min"] = col.min
    if col.max is not None:
        meta["max"] = col.max
    out: dict = {
        "name": col.name,
        "description": col.description,
        "data_type": contract.SQL_TYPES[col.type],
        "config": {"meta": meta},
    }
    if col.pii:
        meta["pii"] = True
        out["config"]["tags"] = ["pii"]
    return out


def _freshness(cadence: str) -> dict | None:
    """Freshness thresholds of a delivery cadence, from the vars landing_freshness_<cadence>_*_hours."""
    if cadence == "on_change":
        return None  # delivered only when something changes: the last row's age says nothing
    prefix = "landing_freshness" if cadence == "daily" else f"landing_freshness_{cadence}"
    return {
        "warn_after": {"count": f"{{{{ var('{prefix}_warn_hours') }}}}", "period": "hour"},
        "error_after": {"count": f"{{{{ var('{prefix}_error_hours') }}}}", "period": "hour"},
    }


def _table(t: contract.Table) -> dict:
    meta: dict = {"key": list(t.key), "kind": t.kind, "cadence": t.cadence}
    if t.time_order:
        meta["time_order"] = [list(p) for p in t.time_order]
    if t.future_checked:
        meta["future_checked"] = list(t.future_checked)
    if t.planned:
        meta["planned"] = list(t.planned)
    if t.historic:
        meta["historic"] = list(t.historic)
    if t.references:
        meta["references"] = [{"column": c, "parent": p} for c, p in t.references]
    config: dict = {"meta": meta}
    if t.cadence != "daily":  # daily is the source-level default
        config["freshness"] = _freshness(t.cadence)
    return {
        "name": t.name,
        "identifier": t.relation,
        "description": t.description,
        "config": config,
        "columns": [_column(c) for c in t.columns],
    }


def render(system: str) -> str:
    tables = [t for t in contract.TABLES if t.system == system]
    doc = {
        "version": 2,
        "sources": [
            {
                "name": system,
                "description": SYSTEM_DESCRIPTIONS[system],
                "schema": "landing",
                "config": {
                    "loaded_at_field": "_extracted_at",
                    "freshness": _freshness("daily"),
                    "meta": {"landing": True},
                },
                "tables": [_table(t) for t in tables],
            }
        ],
    }
    return HEADER + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=110)


MACRO_HEADER = (
    "{#- GENERATED from switchboard/contract.py by `switchboard contract` - do not edit by hand.\n"
    "    landing_contract(): the same table and column meta as the generated sources, as a dict keyed by\n"
    "    '<system>/<table>'. Staging reads it instead of graph.sources, which dbt leaves empty at parse time\n"
    "    (so dependencies could not be derived) and in unit tests. -#}\n"
)


def _macro_table(t: contract.Table) -> dict:
    table = _table(t)
    out = {"system": t.system, "name": t.name, **table["config"]["meta"]}
    out["columns"] = [{"name": c["name"], **c["config"]["meta"]} for c in table["columns"]]
    return out


def render_contract_macro() -> str:
    """A dbt macro returning the contract meta as a Jinja dict literal (JSON without nulls), one table per line."""
    lines = [json.dumps(t.id) + ": " + json.dumps(_macro_table(t), separators=(", ", ": ")) for t in contract.TABLES]
    body = "{\n" + ",\n".join(lines) + "\n}"
    assert "null" not in body, "JSON null is not a Jinja literal"
    return MACRO_HEADER + "{% macro landing_contract() %}\n{{ return(" + body + ") }}\n{% endmacro %}\n"
