"""The dashboard in a real browser: served on 127.0.0.1, every page opened in headless Chromium over the DevTools
protocol, waited for until its charts are drawn, and captured. Each screenshot must not be blank and the page must
show its title. Skipped (with the install command) where chromium-headless-shell is missing; .ci/run installs it.
"""

from __future__ import annotations

import io
import shutil

import numpy as np
import pytest
from PIL import Image

from switchboard.dashboard.navigation import PAGES
from switchboard.dashboard.screenshots import INSTALL_HINT, WRAPPER, capture


def _ink(png: bytes) -> tuple[float, int]:
    """Share of pixels that are not the page background (its most common colour), and how many colours it uses."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = np.asarray(image.resize((image.width // 4, image.height // 4))).reshape(-1, 3).astype(int)
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    background = colours[counts.argmax()]
    inked = (np.abs(pixels - background).sum(axis=1) > 60).mean()
    return float(inked), len(colours)


@pytest.mark.skipif(shutil.which(WRAPPER) is None, reason=f"no headless Chromium ({WRAPPER}): {INSTALL_HINT}")
def test_every_page_draws_its_title_and_charts_in_a_browser(warehouse, tmp_path):
    shots = capture(warehouse.db, [page.url_path for page in PAGES], tmp_path)
    for page in PAGES:
        shot = shots[page.url_path]
        assert (tmp_path / f"dashboard-{page.url_path}.png").read_bytes() == shot.png
        assert page.title in shot.text, page.url_path
        assert "Traceback" not in shot.text and "Error" not in shot.text.split("\n")[0]
        assert shot.charts >= 1, f"{page.url_path}: no chart drawn"
        image = Image.open(io.BytesIO(shot.png))
        assert image.width == 1440 and image.height >= 900
        ink, colours = _ink(shot.png)
        assert ink > 0.03 and colours > 40, f"{page.url_path} looks blank: {ink:.1%} inked, {colours} colours"
