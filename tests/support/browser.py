"""Debian's Chromium driven by Playwright's Python package (never a downloaded browser)."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "artifacts"


def launch_chromium(playwright):
    if not CHROMIUM.exists():
        raise RuntimeError(
            f"Chromium is missing at {CHROMIUM}: run `make test` (it installs Debian's chromium)."
        )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save ``artifacts/<name>.png``; ``full_page=False`` keeps what the viewport shows (phone layouts)."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
