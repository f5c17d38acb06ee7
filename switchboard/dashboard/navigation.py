"""The dashboard's pages: file, menu label, url path, icon and the title drawn on the page (what the browser test
waits for). The first page is the default one, served at the site's root."""

from __future__ import annotations

from typing import NamedTuple


class Page(NamedTuple):
    file: str
    label: str
    url_path: str
    icon: str
    title: str


PAGES = (
    Page("views/today.py", "Today by interval", "today", ":material/schedule:", "Today / yesterday by interval"),
    Page("views/queues.py", "Queues", "queues", ":material/call:", "Queues"),
    Page("views/customers.py", "Customers", "customers", ":material/sentiment_satisfied:", "Customers"),
    Page("views/team.py", "Team", "team", ":material/groups:", "Team"),
    Page("views/compliance.py", "Compliance", "compliance", ":material/verified:", "Compliance"),
    Page("views/data_health.py", "Data health", "data-health", ":material/monitor_heart:", "Data health"),
)
BY_URL = {page.url_path: page for page in PAGES}


def page_url(base: str, url_path: str) -> str:
    """Where a page is served: the default (first) page at the root, the others at their url path."""
    return f"{base}/" if url_path == PAGES[0].url_path else f"{base}/{url_path}"
