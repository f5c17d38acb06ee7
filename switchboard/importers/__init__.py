"""Importers: a contact platform's own export -> the landing contract (``switchboard import <vendor>``).

One module per vendor (``amazon_connect``, ``genesys_cloud``) maps the vendor's documented data model to
``acd/contact_segments`` and ``acd/agent_state_changes``; ``reader`` turns JSON files (plain or gzip, one
object per line, objects concatenated with no separator, or one document) into a DuckDB table of values with
their file and line; ``writer`` writes contract-shaped Parquet batches and the import report. Everything is
parsed and mapped in DuckDB SQL (vectorised), never record by record in Python. See docs/importers.md.
"""

from __future__ import annotations


class ImportFailed(Exception):
    """A problem with the input as a whole (a file that is not the expected export, a bad option): the import
    stops with this message and no landing file is written."""
