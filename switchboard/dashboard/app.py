"""Entrypoint of the Switchboard dashboard (`switchboard dashboard`, or `streamlit run` this file).

The pages live in pages/; this file only sets up the page, the navigation and the one error path: a warehouse that
is missing or being written shows a sentence saying so, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from switchboard.dashboard.data import WarehouseUnavailable

HERE = Path(__file__).resolve().parent

# (file, title, url path, icon): the url paths are what the browser test and docs link to.
PAGES = (
    ("pages/today.py", "Today by interval", "today", ":material/schedule:"),
    ("pages/queues.py", "Queues", "queues", ":material/call:"),
    ("pages/customers.py", "Customers", "customers", ":material/sentiment_satisfied:"),
    ("pages/team.py", "Team", "team", ":material/groups:"),
    ("pages/compliance.py", "Compliance", "compliance", ":material/verified:"),
    ("pages/data_health.py", "Data health", "data-health", ":material/monitor_heart:"),
)

st.set_page_config(page_title="Switchboard", page_icon=":material/headset_mic:", layout="wide")
navigation = st.navigation(
    [st.Page(HERE / path, title=title, url_path=url, icon=icon, default=index == 0)
     for index, (path, title, url, icon) in enumerate(PAGES)]
)
with st.sidebar:
    st.markdown("### :material/headset_mic: Switchboard")
try:
    navigation.run()
except WarehouseUnavailable as exc:
    st.error(str(exc), icon=":material/database:")
