"""Every bad input stops at the door, however the build is started (issue 16, rows 1-4 and 6-8 of its first table).

One small generated landing is copied, for each case, to the same landing root, whose path holds a space, a quote
and non-ASCII letters (`it's here/lándíng`): every case therefore also proves that the root reaches SQL quoted, and
every dbt call has the same environment, so dbt parses the project once and reuses it. Each case changes the copy
as a hostile user would, then runs `dbt build` alone (no `switchboard validate` before it) and/or the validation,
and asserts the new behaviour: a clear message naming the file, the same from both, exit code not 0 and no model
run; or the rows read and accounted for.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from harness import BIN, run_checked, run_dbt
from landing_fixtures import overwrite_inside_a_page
from switchboard.validation import validate_landing
from switchboard.validation.door import door_report
from switchboard.validation.shape import file_fingerprint

SEGMENTS = "acd/contact_segments"
FAILED = "landing validation failed: "
# the smallest selection that reads the segments' landing relation (seeds, base model and its tests)
BUILD_SEGMENTS = ["build", "--select", "+base_acd__contact_segments", "--indirect-selection", "cautious"]


class Door:
    """The generated landing, the landing root every case uses and the warehouse file."""

    def __init__(self, base: Path) -> None:
        self.source = base / "generated"
        self.root = base / "it's here" / "lándíng"
        self.db = base / "warehouse" / "door.duckdb"
        self.db.parent.mkdir()
        run_checked(
            [str(BIN / "switchboard"), "generate", "--out", str(self.source), "--seed", "7", "--start", "2026-01-05"]
            + ["--days", "3", "--scale", "0.1", "--bad-rows", "0.002"]
        )

    def fresh(self) -> Path:
        """The generated landing, copied afresh to the landing root."""
        if self.root.exists():
            shutil.rmtree(self.root)
        shutil.copytree(self.source, self.root)
        return self.root

    def dbt(self, args: list[str], check: bool = False) -> tuple[int, str]:
        proc = run_dbt(args, self.root, self.db, check=check)
        return proc.returncode, proc.stdout + proc.stderr

    def validate(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
        capsys.readouterr()
        code = validate_landing(self.root, docs_dir=tmp_path / "data_docs")
        out = capsys.readouterr()
        return code, out.out + out.err

    def segment_files(self) -> list[Path]:
        return sorted((self.root / SEGMENTS).glob("*.parquet"))


@pytest.fixture(scope="module")
def door(tmp_path_factory: pytest.TempPathFactory) -> Door:
    return Door(tmp_path_factory.mktemp("door"))


def assert_stopped_before_any_model(code: int, out: str) -> None:
    assert code != 0, out[-3000:]
    assert "START sql" not in out and "does not exist" not in out, out[-3000:]


def test_row1_a_landing_root_with_a_quote_a_space_and_accents_builds(door: Door) -> None:
    root = door.fresh()
    code, out = door.dbt(BUILD_SEGMENTS)
    assert code == 0, out[-4000:]
    expected = {f.relative_to(root).as_posix(): pq.ParquetFile(f).metadata.num_rows for f in door.segment_files()}
    expected |= {f.relative_to(root).as_posix(): None for f in (root / SEGMENTS).glob("*.csv")}
    with duckdb.connect(str(door.db), read_only=True) as con:
        read = dict(con.sql("select _source_file, count(*) from landing.acd__contact_segments group by 1").fetchall())
        statuses = dict(
            con.sql("select _status, count(*) from staging.base_acd__contact_segments group by 1").fetchall()
        )
    assert set(read) == set(expected)  # every file, named relative to the quoted root
    assert all(read[f] == n for f, n in expected.items() if n is not None)
    assert sum(statuses.values()) == sum(read.values()) and statuses["staged"] > 0


def test_row2_a_missing_landing_root_stops_the_build(door: Door, tmp_path: Path, capsys) -> None:
    if door.root.exists():
        shutil.rmtree(door.root)
    message = f"{FAILED}landing root {door.root.resolve()} is not a directory (set SWITCHBOARD_LANDING_DIR"
    code, out = door.dbt(BUILD_SEGMENTS)
    assert_stopped_before_any_model(code, out)
    assert message in out
    code, out = door.validate(tmp_path, capsys)
    assert code == 2 and message in out


def test_row3_upper_case_extension_is_read_and_other_files_are_named_or_ignored(
    door: Door, tmp_path: Path, capsys
) -> None:
    root = door.fresh()
    first = door.segment_files()[0]
    upper = first.with_name(first.stem + ".PARQUET")
    first.rename(upper)
    rows_in_upper = pq.ParquetFile(upper).metadata.num_rows
    (root / SEGMENTS / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")  # on the ignore list: never read, no error
    (root / SEGMENTS / "README.md").write_text("exported by hand\n")
    code, out = door.dbt(BUILD_SEGMENTS)
    assert code == 0, out[-4000:]
    assert "warning: ignored acd/contact_segments/README.md (var landing_ignored_files)" in out
    relative = upper.relative_to(root).as_posix()
    with duckdb.connect(str(door.db), read_only=True) as con:
        read = con.sql("select count(*) from landing.acd__contact_segments").fetchone()[0]
        from_upper = con.sql(
            f"select _status, count(*) from staging.base_acd__contact_segments where _source_file = '{relative}' "
            "group by 1"
        ).fetchall()
        accounted = con.sql("select count(*) from staging.base_acd__contact_segments").fetchone()[0]
    assert sum(n for _, n in from_upper) == rows_in_upper and dict(from_upper).get("staged", 0) > 0
    assert accounted == read  # rows read = staged + quarantined + superseded
    code, out = door.validate(tmp_path, capsys)
    assert code == 0 and "landing validation passed" in out
    # anything else in a table folder stops the run, named: the same door as the build's
    (root / SEGMENTS / "notes.txt").write_text("call list")
    code, out = door.validate(tmp_path, capsys)
    assert code == 1
    assert f"{FAILED}acd/contact_segments/notes.txt: not a landing file: only .parquet and .csv files are read" in out


def test_row4_a_parquet_file_without_agent_id_stops_dbt_build_alone(door: Door, tmp_path: Path, capsys) -> None:
    door.fresh()
    target = door.segment_files()[1]
    table = pq.read_table(target)
    pq.write_table(table.drop_columns(["agent_id"]), target)
    message = (
        f"{FAILED}acd/contact_segments/{target.name}: column 'agent_id' is missing (expected str per the landing "
        "contract)"
    )
    code, out = door.dbt(BUILD_SEGMENTS)
    assert_stopped_before_any_model(code, out)
    assert message in out
    code, out = door.validate(tmp_path, capsys)
    assert code == 1 and message in out


def test_row6_bytes_overwritten_inside_a_page_stop_validation_and_build(door: Door, tmp_path: Path, capsys) -> None:
    door.fresh()
    target = max(door.segment_files(), key=lambda f: f.stat().st_size)
    column = overwrite_inside_a_page(target, 200)
    message = (
        f"{FAILED}acd/contact_segments/{target.name}: column '{column}' (row group 0): a page checksum does not "
        "match, the file was damaged after it was written; re-deliver the file"
    )
    code, out = door.validate(tmp_path, capsys)
    assert code == 1 and message in out, out[-3000:]
    code, out = door.dbt(BUILD_SEGMENTS)
    assert_stopped_before_any_model(code, out)
    assert message in out


def test_row7_a_latin1_csv_is_reported_at_its_row_and_column(door: Door, tmp_path: Path, capsys) -> None:
    root = door.fresh()
    folder = root / "hr" / "teams"
    source = sorted(folder.glob("*.parquet"))[0]
    frame = pq.read_table(source).to_pandas()
    assert len(frame) >= 2
    frame.loc[1, "team_name"] = "Équipe Zoë"  # row 2 of the data; the header is ASCII
    target = folder / "teams_latin1.csv"
    frame.to_csv(target, index=False, encoding="latin-1", date_format="%Y-%m-%dT%H:%M:%SZ")
    source.unlink()
    code, out = door.validate(tmp_path, capsys)
    expected = [
        f"{FAILED}hr/teams/teams_latin1.csv: row 2 (line 3), column 'team_name': byte 0xc9 is not UTF-8",
        "CSV landing files must be UTF-8 (re-export the file as UTF-8)",
    ]
    line = next((x for x in out.splitlines() if x.startswith(expected[0])), "")
    assert code == 1 and line.endswith(expected[1]), out[-3000:]
    assert "header" not in out  # the header is ASCII: no longer blamed


def test_row8_an_unreadable_file_stops_dbt_build_once_naming_it(door: Door) -> None:
    door.fresh()
    target = door.segment_files()[2]
    data = target.read_bytes()
    target.write_bytes(data[: len(data) // 2])  # a transfer cut in the middle
    code, out = door.dbt(BUILD_SEGMENTS)
    assert_stopped_before_any_model(code, out)
    assert f"{FAILED}acd/contact_segments/{target.name}: not a readable Parquet file" in out
    assert out.count(FAILED) == 2, out[-3000:]  # the file, then the one-line summary: one stop, one file


def test_files_processed_unchanged_are_listed_not_checked_again(door: Door, tmp_path: Path) -> None:
    """Incremental builds (issue 14): the door fingerprints every file by content and skips the checks of a file
    whose fingerprint an earlier run recorded; a file that changed under the same name is checked again."""
    root = door.fresh()
    target = max(door.segment_files(), key=lambda f: f.stat().st_size)
    rel = target.relative_to(root).as_posix()
    before = file_fingerprint(target)
    copy = tmp_path / "copy.parquet"
    shutil.copyfile(target, copy)
    assert file_fingerprint(copy) == before  # content, not path or modification time

    overwrite_inside_a_page(target, 200)  # the middle of the file: same size, new content
    after = file_fingerprint(target)
    assert after != before and after.split(":")[0] == before.split(":")[0]

    report = json.loads(door_report(str(root), None, json.dumps({rel: after})))
    assert report["problems"] == []  # recorded as processed with this content: listed, not read
    assert report["tables"][SEGMENTS]["fingerprints"][rel] == after
    assert rel in report["tables"][SEGMENTS]["parquet"]

    report = json.loads(door_report(str(root), None, json.dumps({rel: before})))
    assert any(p.startswith(f"{rel}: column ") for p in report["problems"]), report["problems"]
