"""The ``switchboard`` command line: version, help, and expected failures as one line and an exit code.

Every failure case runs the installed command as a subprocess, as a user or cron would, and asserts the exit
code, the message on stderr and that no Python traceback is shown. Nothing here runs a dbt build: the ``build``
cases stop before dbt starts, or on a dbt usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import duckdb
import pytest

import switchboard
from switchboard import cli, settings
from switchboard.errors import EXIT_BUSY, EXIT_FAILED, EXIT_USAGE

BIN = Path(sys.executable).parent
COMMANDS = {"generate", "validate", "contract", "build", "publish", "summary", "dashboard", "import"}
AMAZON = settings.PROJECT_DIR / "tests" / "fixtures" / "amazon_connect"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """An environment whose landing, build and served files are all under tmp_path and do not exist yet."""
    return dict(
        os.environ,
        SWITCHBOARD_LANDING_DIR=str(tmp_path / "landing"),
        SWITCHBOARD_DB_PATH=str(tmp_path / "build" / "switchboard.duckdb"),
        SWITCHBOARD_SERVED_PATH=str(tmp_path / "served" / "switchboard.duckdb"),
        DBT_TARGET_PATH=str(tmp_path / "target"),
        DBT_LOG_PATH=str(tmp_path / "logs"),
        DBT_PROFILES_DIR=str(settings.PROJECT_DIR / "profiles"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        COLUMNS="200",
    )


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "switchboard"), *args],
        cwd=settings.PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def assert_error(proc: subprocess.CompletedProcess, code: int, needle: str) -> None:
    """Exit ``code``, no traceback, and the last stderr line is one ``switchboard: error:`` line saying ``needle``."""
    assert proc.returncode == code, (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr, proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("switchboard: error: "), proc.stderr
    assert needle in last, proc.stderr
    assert proc.stderr.count("switchboard: error:") == 1, proc.stderr


@contextlib.contextmanager
def held(path: Path) -> Iterator[None]:
    """Another process holding ``path`` open for writing, as ``dbt build`` or a BI tool in read-write mode does."""
    code = f"import duckdb, time\ncon = duckdb.connect({str(path)!r})\nprint('held', flush=True)\ntime.sleep(120)"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.kill()
        holder.wait()


def tiny_warehouse(path: Path) -> Path:
    """A DuckDB file with one marts table: enough for publish and summary to get past their own checks."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.dim_sites as select 'NYC' as site_id")
    return path


# ------------------------------------------------------------------------------------------- version, help
def test_version_is_the_package_metadata(env):
    proc = run(["--version"], env)
    assert proc.returncode == 0 and proc.stderr == ""
    version = metadata.version("switchboard")
    assert proc.stdout == f"switchboard {version}\n"
    assert switchboard.__version__ == version
    pyproject = tomllib.loads((settings.PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    assert version == pyproject["project"]["version"]  # fails if the install is stale: `make install` again


def _parsers(
    parser: argparse.ArgumentParser, path: str = "switchboard"
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                yield from _parsers(subparser, f"{path} {name}")


def test_every_command_and_option_has_help():
    parsers = dict(_parsers(cli.build_parser()))
    commands = {path.split()[1] for path in parsers if len(path.split()) == 2}
    assert commands == COMMANDS
    assert {"switchboard import amazon-connect", "switchboard import genesys-cloud"} <= parsers.keys()
    missing = []
    for path, parser in parsers.items():
        if not (parser.description or "").strip():
            missing.append(f"{path}: no description")
        for action in parser._actions:
            name = "/".join(action.option_strings) or action.dest
            if not action.help or action.help == argparse.SUPPRESS or not action.help.strip():
                missing.append(f"{path} {name}: no help")
            if isinstance(action, argparse._SubParsersAction):
                helps = {choice.dest: choice.help for choice in action._get_subactions()}
                assert helps.keys() == action.choices.keys()
                missing += [f"{path} {cmd}: no one-line help" for cmd, text in helps.items() if not text]
                missing += [f"{path} {cmd}: help on several lines" for cmd, text in helps.items() if "\n" in text]
    assert missing == []


def test_help_lists_every_command_on_one_line(env, capsys, monkeypatch):
    proc = run(["--help"], env)
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    # the description is one sentence, not the module docstring
    assert lines[2] == cli.DESCRIPTION and "thin wrapper" not in proc.stdout
    helps = {c.dest: c.help for a in cli.build_parser()._actions if a.choices for c in a._get_subactions()}
    for command in COMMANDS:
        line = [ln for ln in lines if ln.split()[:1] == [command] and ln.startswith("    ")]
        assert len(line) == 1 and line[0].split(None, 1)[1] == helps[command], (command, proc.stdout)
    assert "exit codes" in proc.stdout and "3  busy" in proc.stdout
    monkeypatch.setenv("COLUMNS", "200")
    for command in [*COMMANDS, "import amazon-connect", "import genesys-cloud"]:  # in-process: 10 imports saved
        with pytest.raises(SystemExit) as done:
            cli.main([*command.split(), "--help"])
        out = capsys.readouterr().out
        assert done.value.code == 0 and out.startswith(f"usage: switchboard {command} "), out
        description = out.split("\n\n")[1]
        assert 0 < len(description) < 300 and not description.startswith(" "), (command, description)


# --------------------------------------------------------------------------- missing warehouse or landing
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["summary"], "nothing is published there yet"),
        (["publish"], "no build at"),
        (["publish", "--rollback"], "no previous version at"),
        (["publish", "--target", "spark"], "no Spark warehouse at"),
        (["dashboard"], "no warehouse at"),
        (["validate"], "is not a directory"),
        (["build"], "is not a directory"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_a_missing_warehouse_or_landing_is_exit_2(env, tmp_path, args, needle):
    env["SWITCHBOARD_SPARK_DIR"] = str(tmp_path / "spark")
    proc = run(args, env)
    assert_error(proc, EXIT_USAGE, needle)
    # the path the command looked for is named
    named = {
        "summary": env["SWITCHBOARD_SERVED_PATH"],
        "dashboard": env["SWITCHBOARD_SERVED_PATH"],
        "validate": env["SWITCHBOARD_LANDING_DIR"],
        "build": env["SWITCHBOARD_LANDING_DIR"],
    }.get(args[0])
    assert named is None or named in proc.stderr
    assert not Path(env["SWITCHBOARD_SERVED_PATH"]).exists() and not Path(env["SWITCHBOARD_DB_PATH"]).exists()


def test_a_file_that_is_not_a_duckdb_database_is_exit_2(env, tmp_path):
    bogus = tmp_path / "not_a_warehouse.duckdb"
    bogus.write_text("this is not a DuckDB file\n" * 200)
    for args in (["summary", "--served", str(bogus)], ["dashboard", "--db", str(bogus)]):
        assert_error(run(args, env), EXIT_USAGE, "not a valid DuckDB database file")


# ------------------------------------------------------------------------------------- locked by another
def test_a_file_held_for_writing_is_exit_3_and_summary_reads_the_served_copy_during_a_build(env, tmp_path):
    build = tiny_warehouse(Path(env["SWITCHBOARD_DB_PATH"]))
    served = Path(env["SWITCHBOARD_SERVED_PATH"])
    assert run(["publish"], env).returncode == 0 and served.is_file()
    before = served.stat().st_mtime_ns
    with held(build):  # a build (or a BI tool in read-write mode) holds the build file
        proc = run(["publish"], env)
        assert_error(proc, EXIT_BUSY, "Could not set lock on file")
        assert "cannot read the build file" in proc.stderr and "is a build still running?" in proc.stderr
        assert served.stat().st_mtime_ns == before  # the served file is unchanged
        # summary reads the served copy, not the build file: it works during a build
        proc = run(["summary"], env)
        assert proc.returncode == 0 and f"Switchboard summary of {served}" in proc.stdout, proc.stderr
        # pointed at the held file itself, summary and dashboard stop at once
        for args in (["summary", "--served", str(build)], ["dashboard", "--db", str(build)]):
            assert_error(run(args, env), EXIT_BUSY, "Could not set lock on file")
    with held(served):  # someone opened the served file read-write
        assert_error(run(["summary"], env), EXIT_BUSY, "Could not set lock on file")
    # once the other process let go, the same command works: the lock was the only reason
    assert run(["publish"], env).returncode == 0 and served.stat().st_mtime_ns != before


def test_build_while_another_build_runs_is_exit_3(env, tmp_path):
    (tmp_path / "landing").mkdir()
    build = Path(env["SWITCHBOARD_DB_PATH"])
    build.parent.mkdir(parents=True)
    lock = build.with_name(f".{build.name}.build.lock")
    code = (
        f"import fcntl, time\nh = open({str(lock)!r}, 'w')\nfcntl.flock(h, fcntl.LOCK_EX)\n"
        "print('held', flush=True)\ntime.sleep(120)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert_error(run(["build"], env), EXIT_BUSY, "another `switchboard build` of")
    finally:
        holder.kill()
        holder.wait()
    with open(lock, "w") as handle:  # released: the lock was the only reason
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_build_with_the_build_file_held_is_exit_3_and_publishes_nothing(env, tmp_path):
    """An empty landing passes validation (every table is listed as not found); then the build file is busy."""
    (tmp_path / "landing").mkdir()
    build = tiny_warehouse(Path(env["SWITCHBOARD_DB_PATH"]))
    with held(build):
        proc = run(["build", "--retries", "0"], env)
    assert_error(proc, EXIT_BUSY, "is still busy after 0 retries")
    assert "landing validation passed" in proc.stdout and "dbt build --target" not in proc.stdout
    assert not Path(env["SWITCHBOARD_SERVED_PATH"]).exists()


# -------------------------------------------------------------------------------------- a failed dbt run
def test_a_failed_dbt_run_is_exit_1_and_publishes_nothing(env, tmp_path):
    (tmp_path / "landing").mkdir()
    proc = run(["build", "--", "--no-such-dbt-option"], env)
    assert_error(proc, EXIT_FAILED, "dbt build failed (exit 2): nothing published")
    assert "No such option" in proc.stdout + proc.stderr  # dbt's own message is kept above ours
    build = Path(env["SWITCHBOARD_DB_PATH"])
    state = json.loads(build.with_name(f"{build.name}.state.json").read_text(encoding="utf-8"))
    assert state["status"] == "failed" and state["detail"] == "dbt build exited 2"
    assert not Path(env["SWITCHBOARD_SERVED_PATH"]).exists()
    # and `publish` refuses the failed build
    tiny_warehouse(build)
    assert_error(run(["publish"], env), EXIT_FAILED, "failed (started")


# ------------------------------------------------------------------------------------------ bad arguments
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["generate", "--days", "0"], "argument --days: must be at least 1, got 0"),
        (["generate", "--scale", "-1"], "argument --scale: must be positive"),
        (["generate", "--start", "2026-13-01"], "argument --start: not a date YYYY-MM-DD"),
        (["generate", "--bad-rows", "0.5"], "argument --bad-rows: must be at least 0 and below 0.1"),
        (["generate", "--seed", "x"], "argument --seed: invalid int value"),
        (["build", "--retries", "-1"], "argument --retries: must be 0 or more"),
        (["build", "--target", "oracle"], "argument --target: invalid choice"),
        (["dashboard", "--port", "70000"], "argument --port: must be a TCP port"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        ([], "the following arguments are required: COMMAND"),
        (["import"], "the following arguments are required: VENDOR"),
        (["import", "amazon-connect", "--out", "x"], "the following arguments are required: --contact-records"),
    ],
    ids=lambda v: " ".join(v) or "no command" if isinstance(v, list) else None,
)
def test_a_bad_argument_is_exit_2_with_usage(env, args, needle):
    proc = run(args, env)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("usage: switchboard") and needle in proc.stderr.splitlines()[-1], proc.stderr
    assert "error: argument" in proc.stderr or "error: the following" in proc.stderr or "invalid choice" in proc.stderr


def test_an_output_path_that_is_a_file_is_exit_2(env, tmp_path):
    taken = tmp_path / "a_file"
    taken.write_text("x")
    proc = run(["generate", "--out", str(taken), "--days", "1", "--scale", "0.01", "--start", "2026-01-05"], env)
    assert_error(proc, EXIT_USAGE, str(taken))
    assert taken.read_text() == "x"


# ---------------------------------------------------------------------------- a vendor export that fails
def test_a_vendor_export_that_does_not_parse_is_exit_2(env, tmp_path):
    csv = tmp_path / "ctr.csv"
    csv.write_text("ContactId,Channel\nabc,VOICE\n")
    truncated = tmp_path / "ctr.json.gz"
    truncated.write_bytes(bytes.fromhex("1f8b0800000000000003") + b"\x00\x01\x02")  # a gzip header, then nothing
    out = tmp_path / "out"
    for args, needle in (
        (["amazon-connect", "--contact-records", str(csv)], f"{csv}: not an Amazon Connect contact record export"),
        (["amazon-connect", "--contact-records", str(truncated)], str(truncated)),
        (["genesys-cloud", "--conversations", str(csv)], f"{csv}: not a Genesys Cloud conversation-details"),
        (
            [
                "amazon-connect",
                "--contact-records",
                str(AMAZON / "contact_records_ndjson.json"),
                "--status-map",
                str(csv),
            ],
            "--status-map",
        ),
    ):
        assert_error(run(["import", *args, "--out", str(out)], env), EXIT_USAGE, needle)
    assert not out.exists()


# ------------------------------------------------------------------------------------ --debug and bugs
def test_debug_shows_the_traceback_of_an_expected_failure(env):
    proc = run(["--debug", "summary"], env)
    assert proc.returncode != 0
    assert "Traceback" in proc.stderr and "switchboard.errors.InputError: no warehouse at" in proc.stderr


def test_an_unexpected_failure_keeps_its_traceback(monkeypatch):
    def bug(args):
        raise RuntimeError("a bug, not an expected failure")

    monkeypatch.setattr(cli, "_summary", bug)
    with pytest.raises(RuntimeError, match="a bug"):
        cli.main(["summary"])
