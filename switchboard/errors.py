"""Expected failures of the ``switchboard`` command: one ``switchboard: error: ...`` line and an exit code.

Every subcommand exits with one of these codes (``switchboard --help`` lists them, docs/serving.md too):

- 0 ``EXIT_OK``: done (for ``build``: validated, built and published);
- 1 ``EXIT_FAILED``: the command ran and failed: the landing validation found problems, ``dbt build`` failed,
  the generated dbt files are stale, a publication was refused or failed. Nothing was published;
- 2 ``EXIT_USAGE``: it could not start: a bad argument, or an input that is missing or does not parse (a landing
  folder, a warehouse or build file, a vendor export). argparse's own usage errors exit 2 as well;
- 3 ``EXIT_BUSY``: a file another process holds (a DuckDB file open for writing, another build or publication
  of the same file): try again later.

Anything else is a bug and keeps its Python traceback; ``switchboard --debug`` shows the traceback of an
expected failure as well.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_BUSY = 3


class SwitchboardError(Exception):
    """An expected failure: the CLI prints its message on one line, without a traceback, and exits ``exit_code``."""

    exit_code = EXIT_FAILED


class InputError(SwitchboardError):
    """A bad argument, or an input that is missing or cannot be read (landing folder, warehouse, vendor export)."""

    exit_code = EXIT_USAGE


class BusyError(SwitchboardError):
    """A file another process holds (a DuckDB write lock, another build or publication): retry later."""

    exit_code = EXIT_BUSY


def is_lock_error(exc: BaseException | None) -> bool:
    """Whether ``exc``, or an exception it was raised from, is DuckDB's "Could not set lock on file" error."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if "duckdb" in type(exc).__module__ and "could not set lock" in str(exc).lower():
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def one_line(message: object) -> str:
    """A message on one line: DuckDB's and others' line breaks become ``; ``."""
    lines = [line.strip() for line in str(message).splitlines() if line.strip()]
    return "; ".join(lines) or type(message).__name__
