"""The Switchboard dashboard: a Streamlit app over the KPI tables, read-only.

`switchboard dashboard` starts it (switchboard/dashboard/app.py is the entrypoint); `data` is the only module that
opens the warehouse, `queries` holds every SQL statement, `charts` the Altair charts and their PNG export.
"""
