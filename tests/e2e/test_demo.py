"""The demo as a newcomer meets it: built by `accord demo`, served, signed into, answered in
Russian, and the new entry found verified in the log explorer."""

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.processes import process_environment, run_accord, start_server, wait_until_answering


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    environment = process_environment(f"sqlite:///{tmp_path / 'demo.sqlite3'}", tmp_path)
    first = run_accord(environment, "demo", "--no-serve")
    assert "Built the demo forum." in first
    assert "ro.delegate" in first
    before = run_accord(environment, "replay", "--compare")
    again = run_accord(environment, "demo", "--no-serve")
    assert "nothing changed" in again
    assert run_accord(environment, "replay", "--compare") == before
    assert "no divergence" in run_accord(environment, "audit")
    server, url = start_server(environment)
    wait_until_answering(f"{url}/log/checkpoint")
    yield url, environment
    server.terminate()
    server.communicate(timeout=30)


def test_a_delegate_answers_an_invitation_in_russian_and_finds_it_verified(
    browser: Browser, demo: tuple[str, dict[str, str]], screenshots: Path
) -> None:
    url, environment = demo
    page = browser.new_page()
    page.goto(f"{url}/")
    expect(page.get_by_text("This is a demo forum")).to_be_visible()
    page.screenshot(path=str(screenshots / "demo-home.png"), full_page=True)

    page.get_by_label("Language").select_option("ru")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("link", name="Приглашения")).to_be_visible()
    page.get_by_role("link", name="Войти").click()
    page.get_by_label("Псевдоним").fill("ro.delegate")
    page.get_by_label("Пароль").fill("demo-ro.delegate")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("link", name="ro.delegate")).to_be_visible()

    page.goto(f"{url}/parties/RO")
    page.get_by_role("link", name=re.compile("^отправитель: (Беларусь|Россия)")).first.click()
    expect(page.get_by_role("heading", name="Приглашение: Румыния")).to_be_visible()
    page.get_by_label("Заинтересованы").check()
    page.screenshot(path=str(screenshots / "demo-answer-ru.png"), full_page=True)
    page.get_by_role("button", name="Подписать и отправить ответ").click()
    receipt = page.get_by_role("status")
    expect(receipt).to_contain_text("forum.invitation.answered")
    expect(page.locator("#answer")).to_have_text("заинтересована")  # swapped in place by htmx
    expect(page.get_by_text("в качестве участвующей стороны")).to_be_visible()
    page.screenshot(path=str(screenshots / "demo-receipt-ru.png"), full_page=True)

    page.get_by_role("link", name="Посмотреть запись и её доказательство").click()
    expect(page.get_by_text("Подпись верна")).to_be_visible()
    deadline = time.monotonic() + 30
    while not page.get_by_text("Проверено:").is_visible() and time.monotonic() < deadline:
        time.sleep(1)  # the checkpointer signs a checkpoint every second
        page.reload()
    expect(page.get_by_text("Проверено:")).to_be_visible()
    expect(page.get_by_text('"by": "ro.delegate"')).to_be_visible()
    page.screenshot(path=str(screenshots / "demo-entry-verified-ru.png"), full_page=True)
    page.close()

    assert "Verified" in run_accord(environment, "verify", f"{url}/log")
    shown = run_accord(environment, "forum", "show")
    assert re.search(r"RO\s+interested\s+Romania", shown), shown
