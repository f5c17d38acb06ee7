"""The layering rules of the project, checked over dbt's manifest (target/manifest.json).

Each layer has one job: only `base_` models read sources, intermediate models never read a mart (the marts are
the published surface, not a stock of building blocks), a model's prefix says which folder it lives in, and every
public model has an enforced contract. `layering_violations` returns every broken rule; the tests run it on the
project's own manifest and on small synthetic manifests that break each rule once, so each rule is shown to fail.

`make lint` runs `dbt parse` first and points SWITCHBOARD_MANIFEST at target/manifest.json; run alone, the module
parses the project into a temporary target path (about 10 s).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from harness import run_checked
from switchboard import settings

# Top folder under models/ -> the prefixes its models may have.
FOLDER_PREFIXES: dict[str, tuple[str, ...]] = {
    "staging": ("base_", "stg_"),
    "data_quality": ("quarantine_", "audit_"),
    "intermediate": ("int_",),
    "marts": ("fct_", "dim_", "kpi_", "rpt_"),
}
SOURCE_READERS = ("base_",)
# The one exception, by name: the reconciliation counts rows read on the landing relation itself, so that a row the
# base_ model lost would show as read but not accounted for (counting them in base_ would prove nothing).
SOURCE_READER_EXCEPTIONS = ("audit_reconciliation",)


def _models(manifest: dict) -> dict[str, dict]:
    return {uid: node for uid, node in manifest["nodes"].items() if node["resource_type"] == "model"}


def _layer(node: dict) -> str:
    """The top folder under models/ (dbt's `path` is relative to the model path)."""
    return Path(node["path"]).parts[0]


def layering_violations(manifest: dict) -> list[str]:
    """Every broken layering rule, one line each (empty when the project is layered)."""
    models = _models(manifest)
    problems = []
    for _uid, node in sorted(models.items()):
        name, layer = node["name"], _layer(node)
        upstream = node["depends_on"]["nodes"]
        if (
            any(dep.startswith("source.") for dep in upstream)
            and not name.startswith(SOURCE_READERS)
            and name not in SOURCE_READER_EXCEPTIONS
        ):
            problems.append(f"{name}: reads a source, but only {'/'.join(SOURCE_READERS)} models may")
        if layer == "intermediate":
            for dep in upstream:
                if dep in models and _layer(models[dep]) == "marts":
                    problems.append(f"{name}: an intermediate model refs the mart {models[dep]['name']}")
        prefixes = FOLDER_PREFIXES.get(layer)
        if prefixes is None:
            problems.append(f"{name}: lives in models/{layer}/, a folder outside the layers {sorted(FOLDER_PREFIXES)}")
        elif not name.startswith(prefixes):
            problems.append(f"{name}: models/{layer}/ holds only {', '.join(prefixes)} models")
        config = node["config"]
        if layer == "marts" and config.get("access") != "public":
            problems.append(f"{name}: a mart is the published surface and must have access public")
        if config.get("access") == "public" and not (config.get("contract") or {}).get("enforced"):
            problems.append(f"{name}: a public model without an enforced contract")
    return problems


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> dict:
    given = os.environ.get("SWITCHBOARD_MANIFEST")
    if given:
        path = Path(given)
    else:
        target = tmp_path_factory.mktemp("layering_target")
        env = dict(
            os.environ, DBT_PROFILES_DIR=str(settings.PROJECT_DIR / "profiles"), DBT_SEND_ANONYMOUS_USAGE_STATS="false"
        )
        run_checked(
            [
                str(Path(sys.executable).parent / "dbt"),
                "parse",
                "--target-path",
                str(target),
                "--log-path",
                str(target / "logs"),
            ],
            env,
        )
        path = target / "manifest.json"
    return json.loads(path.read_text())


def test_project_is_layered(manifest):
    assert layering_violations(manifest) == []


def test_every_mart_is_governed(manifest):
    """The 18 published marts (names unchanged by the reorganisation) are all there, public and contracted."""
    marts = {node["name"] for node in _models(manifest).values() if _layer(node) == "marts"}
    assert len(marts) == 18, sorted(marts)


def _node(name: str, path: str, deps: list[str], access: str = "protected", enforced: bool = False) -> dict:
    return {
        "resource_type": "model",
        "name": name,
        "path": path,
        "depends_on": {"nodes": deps},
        "config": {"access": access, "contract": {"enforced": enforced}},
    }


def _tiny_manifest(**overrides: dict) -> dict:
    """A layered three-model project (base -> int -> fct); keyword arguments replace or add nodes."""
    nodes = {
        "model.p.base_acd__x": _node("base_acd__x", "staging/acd/base_acd__x.sql", ["source.p.acd.x"]),
        "model.p.int_x": _node("int_x", "intermediate/x/int_x.sql", ["model.p.base_acd__x"]),
        "model.p.fct_x": _node("fct_x", "marts/fct_x.sql", ["model.p.int_x"], "public", True),
    }
    nodes.update({f"model.p.{name}": node for name, node in overrides.items()})
    return {"nodes": nodes}


def test_tiny_layered_manifest_passes():
    assert layering_violations(_tiny_manifest()) == []


@pytest.mark.parametrize(
    ("name", "node", "expected"),
    [
        ("int_y", _node("int_y", "intermediate/x/int_y.sql", ["model.p.fct_x"]), "refs the mart fct_x"),
        ("stg_acd__y", _node("stg_acd__y", "staging/acd/stg_acd__y.sql", ["source.p.acd.y"]), "reads a source"),
        ("fct_y", _node("fct_y", "intermediate/x/fct_y.sql", ["model.p.int_x"]), "holds only int_"),
        ("int_z", _node("int_z", "marts/int_z.sql", ["model.p.int_x"], "public", True), "holds only fct_"),
        ("fct_y", _node("fct_y", "marts/fct_y.sql", ["model.p.int_x"], "public", False), "without an enforced"),
        ("fct_y", _node("fct_y", "marts/fct_y.sql", ["model.p.int_x"], "protected", True), "access public"),
        ("int_y", _node("int_y", "scratch/int_y.sql", ["model.p.int_x"]), "outside the layers"),
    ],
)
def test_each_rule_fails_when_broken(name, node, expected):
    problems = layering_violations(_tiny_manifest(**{name: node}))
    assert len(problems) == 1 and expected in problems[0], problems
