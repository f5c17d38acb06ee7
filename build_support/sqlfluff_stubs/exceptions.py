"""sqlfluff stub for dbt's `exceptions`: `exceptions.raise_compiler_error(msg)` fails the templating with msg.

Macros that validate their arguments (contract_enum, staging_contract_table, ...) call it; without the stub a lint
run would only say that `exceptions` is undefined.
"""


class CompilerError(Exception):
    """The error dbt would raise at compile time."""


def raise_compiler_error(message):
    raise CompilerError(message)


def warn(message):
    return ""
