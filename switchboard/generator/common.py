"""Shared helpers of the generator: seeds, deterministic randomness, time and the table buffer."""

from __future__ import annotations

import csv
import random
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from switchboard import settings

DAY = 86400
EPOCH = date(1970, 1, 1)


def day_number(d: date) -> int:
    """Days since 1970-01-01 (the date32 value of ``d``)."""
    return (d - EPOCH).days


def from_day_number(n: int) -> date:
    return EPOCH + timedelta(days=int(n))


def local_to_utc(d: date, seconds_of_day: int, tz: ZoneInfo) -> int:
    """UTC epoch seconds of local wall time ``d`` + ``seconds_of_day`` (may exceed a day)."""
    base = datetime(d.year, d.month, d.day, tzinfo=tz) + timedelta(seconds=seconds_of_day)
    # re-normalise so that wall times after a DST change take the right offset
    wall = datetime(base.year, base.month, base.day, base.hour, base.minute, base.second, tzinfo=tz)
    return int(wall.timestamp())


def local_date_of(ts: int, tz: ZoneInfo) -> date:
    return datetime.fromtimestamp(ts, tz).date()


def stream_seed(seed: int, name: str) -> int:
    """A deterministic sub-seed for a named component (never Python's salted ``hash``)."""
    return (seed * 1_000_003 + zlib.crc32(name.encode())) % (2**63)


def py_rng(seed: int, name: str) -> random.Random:
    return random.Random(stream_seed(seed, name))


def np_rng(seed: int, name: str) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(stream_seed(seed, name)))


@dataclass(frozen=True)
class Site:
    site_id: str
    site_name: str
    time_zone: str
    currency: str

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


@dataclass(frozen=True)
class Queue:
    queue_id: str
    channel: str
    lob: str
    site_id: str
    sl_threshold_s: int
    is_outbound: bool


@dataclass(frozen=True)
class Disposition:
    code: str
    category: str
    is_complaint: bool
    self_service_candidate: bool


@dataclass
class Seeds:
    sites: list[Site]
    queues: list[Queue]
    dispositions: list[Disposition]

    def site(self, site_id: str) -> Site:
        return next(s for s in self.sites if s.site_id == site_id)

    def queue(self, queue_id: str) -> Queue:
        return next(q for q in self.queues if q.queue_id == queue_id)

    def disposition(self, code: str) -> Disposition:
        return next(d for d in self.dispositions if d.code == code)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_seeds(seeds_dir: Path | None = None) -> Seeds:
    """Read the seed rows the generator must agree with (sites, queues, disposition codes)."""
    d = seeds_dir or settings.SEEDS_DIR
    sites = [Site(r["site_id"], r["site_name"], r["time_zone"], r["currency"]) for r in _read_csv(d / "sites.csv")]
    queues = [
        Queue(
            r["queue_id"],
            r["channel"],
            r["line_of_business"],
            r["site_id"],
            int(r["service_level_threshold_s"]),
            r["is_outbound"].strip().lower() == "true",
        )
        for r in _read_csv(d / "queues.csv")
    ]
    disp = [
        Disposition(
            r["disposition_code"],
            r["reason_category"],
            r["is_complaint"].strip().lower() == "true",
            r["self_service_candidate"].strip().lower() == "true",
        )
        for r in _read_csv(d / "disposition_codes.csv")
    ]
    return Seeds(sites, queues, disp)


@dataclass
class TableBuf:
    """Rows of one landing table, column-wise, plus the UTC day (batch) each row is delivered in.

    Values: ``str``; ``int``; ``float`` for dec; ``bool``; ts as UTC epoch seconds (int);
    date as days since 1970-01-01 (int); ``None`` = null.
    """

    table_id: str
    columns: list[str]
    data: dict[str, list] = field(default_factory=dict)
    batch: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        for c in self.columns:
            self.data.setdefault(c, [])

    def add(self, batch_day: int, **values) -> None:
        for c in self.columns:
            self.data[c].append(values.get(c))
        self.batch.append(batch_day)

    def __len__(self) -> int:
        return len(self.batch)


def utc_day(ts: int) -> int:
    return ts // DAY
