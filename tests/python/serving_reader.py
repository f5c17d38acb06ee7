"""A BI reader for the concurrency test, run as its own process: ``python serving_reader.py MODE SERVED OUT STOP``.

MODE ``poll`` opens the served file every 100 ms, asks the mart query and closes (a dashboard refreshing);
``hold`` opens it once and keeps that connection for the whole test (a BI tool left open). Every answer, or the
error, is one JSON line in OUT; the reader stops when the file STOP exists.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from serving_helpers import MART_QUERY
from switchboard.serving import connect_served


def main(mode: str, served: Path, out: Path, stop: Path) -> None:
    held = connect_served(served) if mode == "hold" else None
    with out.open("w", encoding="utf-8") as log:
        while not stop.exists():
            started = time.time()
            try:
                con = held or connect_served(served)
                count, checksum = con.execute(MART_QUERY).fetchone()
                if held is None:
                    con.close()
                record = {"t": started, "answer": [count, checksum]}
            except Exception as exc:  # noqa: BLE001 - every reader error is what the test counts
                record = {"t": started, "error": f"{type(exc).__name__}: {exc}"}
            log.write(json.dumps(record) + "\n")
            log.flush()
            time.sleep(max(0.0, 0.1 - (time.time() - started)))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
