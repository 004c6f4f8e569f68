"""Headless Chromium for the views' tests, benchmark and screenshots: Debian's
``chromium`` driven by Playwright, never a browser Playwright downloads.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["LAUNCH_ARGS", "chromium_path", "launch"]

# Flags that run here (containers, no GPU, no network): no sandbox, nothing fetched in
# the background.
LAUNCH_ARGS: tuple[str, ...] = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)


def chromium_path() -> Path:
    """``$KG_CHROMIUM``, else ``chromium`` on the PATH, else ``/usr/bin/chromium``."""
    return Path(os.environ.get("KG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium")


def launch(playwright, profile: str | Path, *, width: int = 1280, height: int = 800, bypass_csp: bool = False):
    """A Playwright browser context on a fresh ``--user-data-dir`` (``profile``)."""
    return playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(chromium_path()), headless=True, args=list(LAUNCH_ARGS),
        viewport={"width": width, "height": height}, bypass_csp=bypass_csp,
    )
