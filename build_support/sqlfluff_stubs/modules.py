"""sqlfluff stub for dbt's `modules`: the Python modules dbt exposes to Jinja that the project's macros use.

The staging window (macro staging_time_window) and the calendar span compute dates with `modules.datetime`.
"""

import datetime  # noqa: F401 (a member of the Jinja `modules` object)
