"""sqlfluff stubs for dbt's built-ins (`make lint` uses sqlfluff's jinja templater, no warehouse needed).

As a package, its members are the Jinja context: the modules `adapter`, `dbt`, `exceptions` and `modules`, and
`var`, which returns the project's own value of a var from dbt_project.yml (sqlfluff's built-in returns the string
"item", so a macro that loops over a list var would loop over its letters). A var whose value is itself templated
(an env_var) renders as its name.
"""

from pathlib import Path

import yaml

from . import adapter, dbt, exceptions, modules  # noqa: F401 (members of the Jinja context)

_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project.yml"
_VARS = yaml.safe_load(_PROJECT.read_text(encoding="utf-8")).get("vars", {})


def var(name, default=None):
    value = _VARS.get(name, default)
    if value is None or (isinstance(value, str) and "{{" in value):
        return name
    return value


class _Target:
    """dbt's `target`: the DuckDB target of profiles/profiles.yml, the engine sqlfluff lints for."""

    type = "duckdb"
    name = "duckdb"
    schema = "main"
    database = "switchboard"


target = _Target()
