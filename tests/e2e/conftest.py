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
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, sync_playwright

CHROMIUM = os.environ.get("ACCORD_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that drives the browser runs after every other test, in its order.

    Playwright's sync API keeps its event loop current on the test's thread from the moment
    the session's browser starts, and Django then takes every database call on that thread for
    an async one and refuses it. pytest-django puts tests on a live server (the conference's
    browser test) among the transactional tests; run there, the browser would start before the
    transactional tests that follow it, and those would fail. pytest-django sorts first
    (``tryfirst``); this sort is stable, so its order holds within each part."""
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))


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


@pytest.fixture(scope="module")
def synchronous_database() -> Iterator[None]:
    """Playwright's sync API keeps an event loop running on the test's thread; a module on
    Django's live server (``pytestmark = pytest.mark.usefixtures(...)``) keeps its database
    calls (building the world, flushing it) synchronous on that thread, so Django's guard
    against async use has nothing to guard while its tests run."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture
def opened(live_server: Any) -> Iterator[list[BrowserContext]]:
    """The test's browsers (``tests.e2e.live.person_page``), closed before the live server
    stops: a page left open would poll a server whose database is already gone."""
    contexts: list[BrowserContext] = []
    yield contexts
    for context in contexts:
        context.close()
