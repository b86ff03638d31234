"""A third party reads the log in a browser: the explorer shows each entry checked."""

import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.processes import process_environment, run_accord, start_server, start_worker


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    environment = process_environment(f"sqlite:///{tmp_path / 'served.sqlite3'}", tmp_path)
    run_accord(environment, "log", "init", "--origin", "forum.example/log")
    run_accord(environment, "party", "add", "HU", "--name", "Hungary", "--hosted")
    _, errors = start_worker(environment, "HU", 2).communicate(timeout=120)
    assert not errors.strip(), errors
    server, url = start_server(environment)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/log/checkpoint", timeout=2) as response:
                if b"\n4\n" in response.read():
                    break
        except OSError:
            pass
        time.sleep(0.3)
    yield url
    server.terminate()
    server.communicate(timeout=30)


def test_the_explorer_shows_an_entry_verified(
    browser: Browser, served: str, screenshots: Path
) -> None:
    page = browser.new_page()
    page.goto(f"{served}/explorer/")
    expect(page.get_by_role("heading", name="Log explorer")).to_be_visible()
    expect(page.get_by_text("holds 4 entries")).to_be_visible()
    page.screenshot(path=str(screenshots / "explorer.png"), full_page=True)

    page.get_by_role("link", name="3", exact=True).click()
    expect(page.get_by_role("heading", name="Entry 3")).to_be_visible()
    expect(page.get_by_text("The signature verifies")).to_be_visible()
    expect(page.get_by_text("Checked: this entry is in the log of 4 entries")).to_be_visible()
    expect(page.get_by_text(f"accord verify {served}/log --log-key")).to_be_visible()
    page.screenshot(path=str(screenshots / "explorer-entry.png"), full_page=True)
    page.close()
