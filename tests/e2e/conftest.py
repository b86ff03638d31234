"""Browser tests: Debian's Chromium driven by Playwright, against ``accord serve`` run as a process.

Playwright's own browser download does not work on Accord's machines, so the
browser is the system's (``ACCORD_CHROMIUM``, default ``/usr/bin/chromium``;
``make test`` installs it). A missing browser fails the tests: they never skip.
Screenshots are kept under ``var/screenshots/`` as artefacts a person can look at.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = os.environ.get("ACCORD_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"The browser tests need Chromium at {CHROMIUM}: run `make browser`")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
