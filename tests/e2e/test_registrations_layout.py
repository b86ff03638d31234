"""The witnesses page of the demo at a phone's width (390 px), in English and Russian, as a
visitor and as a signed-in head of delegation (who sees the forms): nothing scrolls sideways,
and the Russian page reads Russian."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.e2e.test_pages_layout import PHONE, _overflow, _sign_in, _widest
from tests.processes import process_environment, run_accord, start_server, wait_until_answering


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("registrations")
    environment = process_environment(f"sqlite:///{folder / 'demo.sqlite3'}", folder)
    assert "Built the demo forum." in run_accord(environment, "demo", "--no-serve")
    server, url = start_server(environment)
    wait_until_answering(f"{url}/log/checkpoint")
    yield url
    server.terminate()
    server.communicate(timeout=30)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_witnesses_page_fits_a_phone(
    browser: Browser, demo: str, screenshots: Path, language: str
) -> None:
    context = browser.new_context(locale=language, viewport=PHONE)
    page = context.new_page()
    wide = []
    for signed_in in (False, True):
        if signed_in:
            _sign_in(page, demo, "by.head")
        page.goto(f"{demo}/witnesses")
        who = "head" if signed_in else "visitor"
        page.screenshot(
            path=str(screenshots / f"phone-{language}-{who}-witnesses.png"), full_page=True
        )
        if _overflow(page) > 0:
            wide.append(f"{who}: {_overflow(page)} px too wide ({_widest(page)})")
    text = page.locator("main").inner_text()
    context.close()
    assert wide == []
    assert "by.witness.demo" in text
    if language == "ru":
        assert "Свидетели журнала" in text
        assert "Counts toward" not in text
        assert "Register your party" not in text
