"""A negotiation in the browser, on the demo served by ``accord serve``: Belarus's head (the
chair) introduces a protocol from a Markdown file, Kazakhstan's delegate proposes an
amendment in place, Hungary's head states a position, the chair issues Rev.1 incorporating it
and puts it under silence, and China's head breaks silence. Each person signs in in a browser
of their own; screenshots are kept."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.processes import process_environment, run_accord, start_server, wait_until_answering

PROTOCOL = """# Protocol on Notification of Exercises

## Article 1 — Notification

Each Party shall notify the other Parties of major military exercises.

## Article 2 — Observers

Each Party may invite observers to its exercises.
"""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    environment = process_environment(f"sqlite:///{tmp_path / 'demo.sqlite3'}", tmp_path)
    assert "Built the demo forum." in run_accord(environment, "demo", "--no-serve")
    server, url = start_server(environment)
    wait_until_answering(f"{url}/log/checkpoint")
    yield url, environment
    server.terminate()
    server.communicate(timeout=30)


def _signed_in(browser: Browser, url: str, handle: str) -> Page:
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(f"{url}/sign-in")
    page.get_by_label("Handle").fill(handle)
    page.get_by_label("Password").fill(f"demo-{handle}")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name=handle)).to_be_visible()
    return page


def test_a_delegation_amends_another_takes_a_position_the_chair_revises_and_silence_is_broken(  # noqa: PLR0915 -- one negotiation, told in order
    browser: Browser, served: tuple[str, dict[str, str]], screenshots: Path, tmp_path: Path
) -> None:
    url, environment = served
    protocol = tmp_path / "protocol.md"
    protocol.write_text(PROTOCOL, encoding="utf-8")

    chair = _signed_in(browser, url, "by.head")
    chair.goto(f"{url}/charter/")
    chair.get_by_label("The text, as a file").set_input_files(str(protocol))
    chair.get_by_label("Title").fill("Protocol on Notification of Exercises")
    chair.get_by_role("button", name="Introduce the document").click()
    expect(chair.get_by_role("status")).to_contain_text("charter.document.introduced")
    document = int(re.findall(r"entry (\d+)", chair.get_by_role("status").inner_text())[0])
    chair.screenshot(path=str(screenshots / "charter-introduced.png"), full_page=True)

    delegate = _signed_in(browser, url, "kz.delegate")
    delegate.goto(f"{url}/charter/{document}/")
    expect(
        delegate.get_by_role("heading", name=re.compile("Protocol on Notification"))
    ).to_be_visible()
    article = delegate.locator("section.provision", has_text="Each Party shall notify")
    article.get_by_text("Propose an amendment").click()
    article.get_by_label("The amendment").select_option("replace")
    article.get_by_label("The new text").fill(
        "Each Party shall notify the other Parties of major military exercises 42 days ahead."
    )
    article.get_by_label("Rationale").fill("A notice period makes the commitment checkable.")
    article.get_by_role("button", name="Propose the amendment").click()
    receipt = article.get_by_role("status")  # swapped in place by htmx
    expect(receipt).to_contain_text("charter.amendment.proposed")
    amendment = int(re.findall(r"entry (\d+)", receipt.inner_text())[0])
    delegate.screenshot(path=str(screenshots / "charter-amended.png"), full_page=True)

    hungary = _signed_in(browser, url, "hu.head")
    hungary.goto(f"{url}/charter/amendments/{amendment}/")
    expect(hungary.locator("ins").first).to_contain_text("42 days ahead")
    hungary.get_by_label("can accept").check()
    hungary.get_by_label("Note").fill("Hungary can accept a fixed notice period.")
    hungary.get_by_role("button", name="State the position").click()
    expect(hungary.get_by_role("status")).to_contain_text("charter.position.stated")
    hungary.goto(f"{url}/charter/{document}/?view=brackets")
    expect(hungary.get_by_text("An option is agreeable: no party objects to it.")).to_be_visible()
    hungary.screenshot(path=str(screenshots / "charter-bracketed.png"), full_page=True)

    chair.goto(f"{url}/charter/{document}/revisions/")
    chair.get_by_label("incorporate").first.check()
    chair.get_by_role("button", name="Issue the revision").click()
    expect(chair.get_by_role("status")).to_contain_text("charter.revision.issued")
    chair.goto(f"{url}/charter/{document}/diff/?from=0&to=1")
    expect(chair.locator("ins").first).to_contain_text("42 days ahead")
    chair.screenshot(path=str(screenshots / "charter-revision-diff.png"), full_page=True)

    chair.goto(f"{url}/charter/{document}/")
    until = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    chair.get_by_label("Revision").fill("1")
    chair.get_by_label("Silence until (UTC)").fill(until)
    chair.get_by_label("I understand that this act cannot be undone.").check()
    chair.get_by_role("button", name="Put under silence").click()
    expect(chair.get_by_role("status")).to_contain_text("charter.silence.opened")
    procedure = int(re.findall(r"entry (\d+)", chair.get_by_role("status").inner_text())[0])

    china = _signed_in(browser, url, "cn.head")
    china.goto(f"{url}/charter/silence/{procedure}/")
    expect(china.locator("#countdown")).to_contain_text("2 days")
    china.get_by_label("Reason").fill("China needs to consult its capital on the notice period.")
    china.get_by_label("I understand that this act cannot be undone.").check()
    china.get_by_role("button", name="Break silence").click()
    expect(china.get_by_role("status")).to_contain_text("charter.silence.broken")
    china.goto(f"{url}/charter/silence/{procedure}/")
    expect(china.get_by_text("China needs to consult its capital")).to_be_visible()
    china.screenshot(path=str(screenshots / "charter-silence-broken.png"), full_page=True)

    assert "The live database matches the log." in run_accord(environment, "replay", "--compare")
