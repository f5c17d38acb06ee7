"""sqlfluff stub for dbt's cross-database macros (`dbt.dateadd(...)`, `dbt.type_string()`, ...).

Each renders as a SQL function call of the same name (the right shape for linting); type macros render
as a plain type so that `cast(x as {{ dbt.type_string() }})` parses.
"""

TYPES = {
    "type_string": "varchar",
    "type_int": "integer",
    "type_bigint": "bigint",
    "type_float": "double",
    "type_numeric": "decimal(28, 6)",
    "type_boolean": "boolean",
    "type_timestamp": "timestamp",
}


def _arg(value):
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def __getattr__(name):
    if name in TYPES:
        return lambda *args, **kwargs: TYPES[name]

    def call(*args, **kwargs):
        return f"{name}({', '.join(_arg(a) for a in args)})"

    return call
