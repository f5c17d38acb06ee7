"""sqlfluff stub for dbt's `adapter`: `adapter.dispatch(name)(args)` renders as the SQL call `name(args)`.

Dispatched macros differ per engine; for linting, a function call of the same name is the right shape. The one
exception is `sb_literal` (macros/shims/sql_literal.sql), which makes a string literal, not a call: it renders as
the DuckDB literal.
"""


def dispatch(name, macro_namespace=None):
    if name == "sb_literal":
        return lambda value: "'" + str(value).replace("'", "''") + "'"

    def call(*args, **kwargs):
        return f"{name}({', '.join(str(a) for a in args)})"

    return call
