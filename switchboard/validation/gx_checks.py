"""The Great Expectations part: one suite per landing table, Data Docs once.

GX runs on its pandas path in an in-memory (ephemeral) Data Context: GX 1.x
cannot run expectations on DuckDB through SQLAlchemy. Each table gets a
dataframe asset with a whole-dataframe batch definition, an expectation suite
built from ``switchboard.contract`` and a validation definition that is run
once on the table's DataFrame (all its files together). The file shapes go into
one extra validation, ``landing_files``, so a shape mismatch is visible in the
Data Docs too. The HTML Data Docs are rendered once, at the end.

Row-level expectations carry ``severity="warning"``: their failures are
reported, never blocking; staging quarantines the rows with the rule named in
the expectation's notes.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from switchboard.contract import TABLES, Table

SITE_NAME = "switchboard_landing"
FILES_SUITE = "landing_files"
RUN_NAME = "switchboard-landing-validation"
RESULT_FORMAT: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": 20}

# expectation type -> bad-row rule that staging applies to the same rows
RULE_OF = {
    "expect_column_values_to_not_be_null": "null_key",
    "expect_column_values_to_be_in_set": "unknown_value",
    "expect_column_values_to_be_between": "out_of_range",
}


@dataclass
class Finding:
    """One failed (or errored) row-level expectation of a table."""

    expectation: str
    column: str | None
    unexpected_count: int | None
    element_count: int | None
    examples: list[Any] = field(default_factory=list)
    error: str | None = None

    @property
    def rule(self) -> str | None:
        return RULE_OF.get(self.expectation)

    def as_dict(self) -> dict[str, Any]:
        return {
            "expectation": self.expectation,
            "column": self.column,
            "rule": self.rule,
            "unexpected_count": self.unexpected_count,
            "element_count": self.element_count,
            "examples": [str(v) for v in self.examples],
            "error": self.error,
        }


def make_context(docs_dir: Path) -> Any:
    """An in-memory Data Context whose only Data Docs site is ``docs_dir``."""
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        data_docs_sites={
            SITE_NAME: {
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def table_expectations(table: Table) -> list[Any]:
    """The contract's expectations for one table (see docs/validation.md)."""
    exps: list[Any] = []
    for name in table.key:
        exps.append(
            gxe.ExpectColumnValuesToNotBeNull(
                column=name,
                severity="warning",
                catch_exceptions=True,
                notes="Key column. Rows with a null key are quarantined by staging as null_key.",
            )
        )
    for col in table.columns:
        if col.enum:
            exps.append(
                gxe.ExpectColumnValuesToBeInSet(
                    column=col.name,
                    value_set=list(col.enum),
                    severity="warning",
                    catch_exceptions=True,
                    notes="Contract enumeration (nulls allowed). Other values are quarantined as unknown_value.",
                )
            )
        if col.min is not None or col.max is not None:
            exps.append(
                gxe.ExpectColumnValuesToBeBetween(
                    column=col.name,
                    min_value=col.min,
                    max_value=col.max,
                    severity="warning",
                    catch_exceptions=True,
                    notes="Contract range (nulls allowed). Values outside are quarantined as out_of_range.",
                )
            )
    return exps


class LandingGX:
    """One GX run over the landing: suites for every table, results, Data Docs."""

    def __init__(self, docs_dir: Path) -> None:
        self.docs_dir = docs_dir
        self.context = make_context(docs_dir)
        self.datasource = self.context.data_sources.add_pandas("landing")
        self.definitions: dict[str, Any] = {}
        # one run id for every validation of this run: the Data Docs group them together
        self.run_id = RunIdentifier(run_name=RUN_NAME, run_time=dt.datetime.now(dt.UTC))
        for table in TABLES:
            # every table's suite is in the Data Docs, found or not: it documents the contract
            suite = self.context.suites.add(
                gx.ExpectationSuite(
                    name=table.relation,
                    expectations=table_expectations(table),
                    meta={"notes": f"Landing table {table.id} (key: {', '.join(table.key)})."},
                )
            )
            self.definitions[table.id] = self._definition(table.relation, suite)
        files_suite = self.context.suites.add(
            gx.ExpectationSuite(
                name=FILES_SUITE,
                expectations=[
                    gxe.ExpectColumnValuesToBeNull(
                        column="problem",
                        notes="One row per landing file (and per shape problem). Any problem stops the run.",
                    )
                ],
            )
        )
        self.definitions[FILES_SUITE] = self._definition(FILES_SUITE, files_suite)

    def _definition(self, name: str, suite: Any) -> Any:
        asset = self.datasource.add_dataframe_asset(name=name)
        batch = asset.add_batch_definition_whole_dataframe(name=f"{name}__all_files")
        return self.context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))

    def validate_files(self, frame: pd.DataFrame) -> bool:
        """Validate the file-shape frame (columns table, file, format, rows, problem)."""
        result = self.definitions[FILES_SUITE].run(
            batch_parameters={"dataframe": frame}, result_format=RESULT_FORMAT, run_id=self.run_id
        )
        return bool(result.success)

    def validate_table(self, table: Table, frame: pd.DataFrame) -> list[Finding]:
        """Run the table's suite on its DataFrame; return what did not pass."""
        result = self.definitions[table.id].run(
            batch_parameters={"dataframe": frame}, result_format=RESULT_FORMAT, run_id=self.run_id
        )
        findings: list[Finding] = []
        for r in result.results:
            if r.success:
                continue
            cfg = r.expectation_config
            res = r.result or {}
            exc = r.exception_info or {}
            error = exc.get("exception_message") if exc.get("raised_exception") else None
            findings.append(
                Finding(
                    expectation=cfg.type,
                    column=cfg.kwargs.get("column"),
                    unexpected_count=res.get("unexpected_count"),
                    element_count=res.get("element_count"),
                    examples=list(dict.fromkeys(res.get("partial_unexpected_list") or []))[:3],
                    error=error,
                )
            )
        return findings

    def build_docs(self) -> Path:
        """Render the Data Docs once (replacing this site's earlier pages)."""
        for sub in ("validations", "expectations"):
            shutil.rmtree(self.docs_dir / sub, ignore_errors=True)
        self.context.build_data_docs(site_names=[SITE_NAME])
        return self.docs_dir / "index.html"
