"""Entrypoint of the Switchboard dashboard (`switchboard dashboard`, or `streamlit run` this file).

The pages live in views/ (a folder named pages/ would also be served by Streamlit as pages of their own, without
this file). This file only sets up the page, the navigation and the one error path: a warehouse that is missing or
being written shows a sentence saying so, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from switchboard.dashboard.data import WarehouseUnavailable
from switchboard.dashboard.navigation import PAGES

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title="Switchboard", page_icon=":material/headset_mic:", layout="wide")
navigation = st.navigation(
    [
        st.Page(HERE / page.file, title=page.label, url_path=page.url_path, icon=page.icon, default=index == 0)
        for index, page in enumerate(PAGES)
    ]
)
with st.sidebar:
    st.markdown("### :material/headset_mic: Switchboard")
try:
    navigation.run()
except WarehouseUnavailable as exc:
    st.error(str(exc), icon=":material/database:")
