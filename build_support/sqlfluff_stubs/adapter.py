"""sqlfluff stub for dbt's `adapter`: `adapter.dispatch(name)(args)` renders as the SQL call `name(args)`.

Dispatched macros differ per engine; for linting, a function call of the same name is the right shape.
"""


def dispatch(name, macro_namespace=None):
    def call(*args, **kwargs):
        return f"{name}({', '.join(str(a) for a in args)})"

    return call
