"""Screenshots of the dashboard in headless Chromium, driven over the DevTools protocol (no Selenium, no driver).

Streamlit draws the page in the browser from a websocket, so `chromium --screenshot` would catch a skeleton; this
opens each page, waits until its title is shown, the script has finished and every chart has been drawn, then
captures the whole page. Used by tests/python/test_dashboard_browser.py and, as a script, for docs/img:

    python -m switchboard.dashboard.screenshots --db data/switchboard.duckdb --out docs/img today queues

Chromium comes from the Debian package chromium-headless-shell; its command on PATH is a wrapper script, so the
binary it runs is started directly, in its own process group, and that group is ended afterwards.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from websockets.sync.client import connect

from switchboard.dashboard.navigation import BY_URL, page_url
from switchboard.dashboard.server import streamlit_command, streamlit_env

WRAPPER = "chromium-headless-shell"
INSTALL_HINT = "install it with `apt-get install chromium-headless-shell` (Debian; .ci/run does it in CI)"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)
WIDTH = 1440
# Page is ready: its title is drawn, the script is not running, every chart container holds a drawn chart.
READY_JS = """(() => {
  const h1 = document.querySelector('h1');
  if (!h1 || !h1.innerText.includes(%s)) return null;
  if (document.querySelector('[data-testid="stStatusWidget"] img, [data-testid="stSkeleton"]')) return null;
  const charts = document.querySelectorAll('[data-testid="stVegaLiteChart"]');
  for (const c of charts) { if (!c.querySelector('canvas, svg.marks')) return null; }
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  const block = document.querySelector('[data-testid="stMainBlockContainer"]') || main;
  return {charts: charts.length, height: Math.ceil(block.scrollHeight), text: main.innerText.slice(0, 4000)};
})()"""


class BrowserMissing(RuntimeError):
    """No chromium-headless-shell on this machine (the browser test skips with the install hint)."""


def chromium_binary() -> Path:
    """The browser the chromium-headless-shell wrapper runs (read from the wrapper script), not the wrapper."""
    wrapper = shutil.which(WRAPPER)
    if wrapper is None:
        raise BrowserMissing(f"{WRAPPER} is not on PATH: {INSTALL_HINT}")
    text = Path(wrapper).read_text(errors="replace") if Path(wrapper).stat().st_size < 65536 else ""
    for candidate in re.findall(r"(/\S*chromium[^\s\"']*)", text):
        path = Path(candidate)
        if path.is_file() and os.access(path, os.X_OK) and path.resolve() != Path(wrapper).resolve():
            return path
    return Path(wrapper)  # not a script: the binary itself


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _end_group(proc: subprocess.Popen) -> None:
    """End a process started with its own session, by its process group: TERM, then KILL after 10 s."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextlib.contextmanager
def serve(db: Path, timeout_s: float = 60) -> Iterator[str]:
    """The dashboard served on 127.0.0.1 (a free port) for the duration of the block; yields its base URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            streamlit_command("127.0.0.1", port),
            env=streamlit_env(db),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"the dashboard did not start on {url}:\n{log.read().decode(errors='replace')}")
                time.sleep(0.3)
            yield url
        finally:
            _end_group(proc)


@dataclass
class Shot:
    """One page as captured: its PNG, how many charts it drew and the text on the page."""

    png: bytes
    charts: int
    text: str


class Browser:
    """Headless Chromium and one tab, spoken to through the DevTools protocol over a websocket."""

    def __init__(self, timeout_s: float = 60) -> None:
        self.timeout_s = timeout_s
        self._profile = tempfile.TemporaryDirectory(prefix="sb-chromium-")
        self._log = Path(self._profile.name) / "chromium.log"
        with open(self._log, "wb") as log:  # a file, not a pipe: a chatty browser never blocks on a full pipe
            self._proc = subprocess.Popen(
                [
                    str(chromium_binary()),
                    *CHROMIUM_FLAGS,
                    f"--user-data-dir={self._profile.name}/profile",
                    f"--window-size={WIDTH},900",
                    "about:blank",
                ],
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        try:
            self._ws = connect(self._devtools_url(), max_size=None, open_timeout=timeout_s).__enter__()
            self._next = 0
            target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
            self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            self._call("Page.enable", session=True)
        except Exception:
            self.close()
            raise

    def _devtools_url(self) -> str:
        deadline = time.monotonic() + self.timeout_s
        text = ""
        while time.monotonic() < deadline:
            text = self._log.read_text(errors="replace")
            match = re.search(r"DevTools listening on (ws://\S+)", text)
            if match:
                return match.group(1)
            if self._proc.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError("headless Chromium did not open its DevTools port:\n" + text[-3000:])

    def _call(self, method: str, params: dict | None = None, session: bool = False) -> dict:
        self._next += 1
        message: dict = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        self._ws.send(json.dumps(message))
        while True:
            reply = json.loads(self._ws.recv(timeout=self.timeout_s))
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def _evaluate(self, expression: str):
        result = self._call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True)
        return result.get("result", {}).get("value")

    def screenshot(self, url: str, title: str, height: int = 900) -> Shot:
        """Open `url`, wait for the page titled `title` with every chart drawn, and capture the whole page."""
        self._call(
            "Emulation.setDeviceMetricsOverride",
            {"width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=True,
        )
        self._call("Page.navigate", {"url": url}, session=True)
        self._wait(title)
        time.sleep(1.0)  # a late element (a table, a second chart) can still arrive: measure again
        state, full = self._wait(title), height
        for _ in range(4):  # grow the viewport to the page until the page no longer grows (charts redraw on resize)
            if state["height"] + 24 <= full:
                break
            full = state["height"] + 24
            self._call(
                "Emulation.setDeviceMetricsOverride",
                {"width": WIDTH, "height": full, "deviceScaleFactor": 1, "mobile": False},
                session=True,
            )
            time.sleep(1.0)
            state = self._wait(title)
        png = self._call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False}, session=True)[
            "data"
        ]
        return Shot(base64.b64decode(png), state["charts"], state["text"])

    def _wait(self, title: str) -> dict:
        deadline = time.monotonic() + self.timeout_s
        ready_js = READY_JS % json.dumps(title)
        stable, last = 0, None
        while time.monotonic() < deadline:
            state = self._evaluate(ready_js)
            if state is not None:
                stable = stable + 1 if state == last else 0
                if stable >= 2:  # the same for three polls: nothing is still arriving
                    return state
            last = state
            time.sleep(0.5)
        raise TimeoutError(f"the page {title!r} did not finish drawing in {self.timeout_s:.0f} s")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._ws.close()
        _end_group(self._proc)
        self._profile.cleanup()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def capture(db: Path, pages: list[str], out: Path | None = None) -> dict[str, Shot]:
    """Serve the dashboard on `db`, screenshot each page (url path), write `<out>/dashboard-<page>.png` if out."""
    shots: dict[str, Shot] = {}
    with serve(db) as url, Browser() as browser:
        for page in pages:
            shots[page] = browser.screenshot(page_url(url, page), BY_URL[page].title)
            if out is not None:
                out.mkdir(parents=True, exist_ok=True)
                (out / f"dashboard-{page}.png").write_bytes(shots[page].png)
    return shots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Screenshots of the dashboard pages (headless Chromium).")
    parser.add_argument("--db", required=True, type=Path, help="warehouse to show (DuckDB file)")
    parser.add_argument("--out", required=True, type=Path, help="folder for dashboard-<page>.png")
    parser.add_argument("pages", nargs="*", default=list(BY_URL), help=f"url paths: {', '.join(BY_URL)}")
    args = parser.parse_args(argv)
    unknown = [p for p in args.pages if p not in BY_URL]
    if unknown or not args.db.is_file():
        parser.error(f"unknown page(s) {unknown}" if unknown else f"no warehouse at {args.db}")
    try:
        for page, shot in capture(args.db, args.pages, args.out).items():
            print(f"{args.out / f'dashboard-{page}.png'}: {shot.charts} charts")
    except BrowserMissing as exc:
        parser.exit(2, f"{exc}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
