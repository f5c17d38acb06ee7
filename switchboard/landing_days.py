"""A landing zone as it stood on a given day: the daily files delivered up to that day.

The generator names every file by the day its batch was delivered (``<table>_<YYYYMMDD>[_bad].<ext>``, a
re-delivery ``<table>_<YYYYMMDD>_redelivery.<ext>``). ``landing_as_of`` links the files of one landing root
delivered on or before a day into another root, so a test or a benchmark can replay a center's deliveries day
by day (an initial build, then daily increments) on the same data as one full build. Re-deliveries are added
only when asked for: they repeat rows of many days, so they arrive on the day the caller chooses.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path

DAILY_FILE = re.compile(r"^.+_(\d{8})(_bad|_redelivery)?\.(parquet|csv)$", re.IGNORECASE)


def file_day(name: str) -> tuple[date, str] | None:
    """(delivery day, kind) of a generated landing file name; kind is '', '_bad' or '_redelivery'."""
    m = DAILY_FILE.match(name)
    if not m:
        return None
    d = m.group(1)
    return date(int(d[:4]), int(d[4:6]), int(d[6:])), (m.group(2) or "").lower()


def landing_days(src: Path) -> list[date]:
    """Every delivery day of a landing root, in order (re-deliveries not counted)."""
    days = set()
    for path in Path(src).glob("*/*/*"):
        parsed = file_day(path.name)
        if parsed and parsed[1] != "_redelivery":
            days.add(parsed[0])
    return sorted(days)


def landing_as_of(src: Path, dst: Path, day: date, redelivery: bool = False) -> list[str]:
    """Link into ``dst`` every data file of ``src`` delivered on or before ``day`` (re-deliveries too when
    ``redelivery``); files already in ``dst`` are kept as they are. Returns the relative paths added.

    Files are hard-linked (copied where the file system cannot link), so replaying a landing costs no space.
    """
    src, dst = Path(src), Path(dst)
    added = []
    for path in sorted(src.glob("*/*/*")):
        parsed = file_day(path.name)
        if parsed is None or parsed[0] > day or (parsed[1] == "_redelivery" and not redelivery):
            continue
        rel = path.relative_to(src)
        target = dst / rel
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
        added.append(rel.as_posix())
    # every table folder exists, as in a delivered landing (an empty folder is an empty table)
    for folder in src.glob("*/*"):
        if folder.is_dir() and not folder.parent.name.startswith("_"):
            (dst / folder.relative_to(src)).mkdir(parents=True, exist_ok=True)
    return added
