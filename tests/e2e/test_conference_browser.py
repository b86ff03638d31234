"""A meeting in the browser: the chair (``aa.head``) opens the speakers' list of item 2, two
delegates inscribe (AA's ambassador first, then BB's head of government, who goes first by
level), the chair gives the floor, AA asks for the right of reply, the chair asks the meeting
to adopt the draft by consensus and, once the time for objections has passed, declares it
adopted; BB attaches an interpretative statement on the charter's decision page. Each person
has a browser of their own on a live server; the host's clock is the test's, so the time for
objections passes without waiting. The room is measured at a phone's width (390 px) and every
step is kept as a screenshot under var/screenshots/."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from accord.dialogue import actions
from accord.dialogue.models import Question
from accord.lib import clock
from tests.dialogue.world import AA_HEAD, BB_HEAD, SECRETARIAT, ConferenceWorld, build
from tests.e2e.live import PHONE, Hands, person_page

pytestmark = pytest.mark.usefixtures("synchronous_database")


@pytest.fixture
def world(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[ConferenceWorld, Hands]]:
    for built in build():
        hands = Hands(built.forum.ticking.moment + timedelta(minutes=1))
        monkeypatch.setattr(clock, "now", hands)
        yield built, hands


def _act(page: Page, box: str, fields: dict[str, str], done: str) -> None:
    form = page.locator(f"#{box}")
    summary = page.locator(f"details:has(#{box}) > summary")
    if summary.count() and not form.is_visible():  # the page folds each act under its title
        summary.click()
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    if form.locator("[name=confirm]").count():
        form.locator("[name=confirm]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator(".receipt")).to_contain_text(done)


def test_a_meeting_runs_from_the_list_to_a_decision_and_an_interpretation(  # noqa: PLR0915 -- one meeting, told in order
    world: tuple[ConferenceWorld, Hands],
    browser: Browser,
    live_server: Any,
    screenshots: Path,
    opened: list[BrowserContext],
) -> None:
    w, hands = world
    url = str(live_server.url)
    meeting = f"{url}/conference/meetings/{w.opening}"

    chair = person_page(opened, browser, url, "aa.head", "/conference")
    chair.goto(meeting)
    _act(chair, "conference-speakers-open-form", {"item": "2", "seconds": "180"}, "opened")
    chair.screenshot(path=str(screenshots / "conference-list-opened.png"), full_page=True)

    ambassador = person_page(opened, browser, url, "aa.delegate", "/conference")
    ambassador.goto(meeting)
    fields = {"item": "2", "speaker": "aa.delegate"}
    _act(ambassador, "conference-speakers-inscribe-form", fields, "inscribed")
    hands.moment += timedelta(seconds=30)
    premier = person_page(opened, browser, url, "bb.head", "/conference")
    premier.goto(meeting)
    fields = {"item": "2", "speaker": "bb.head"}
    _act(premier, "conference-speakers-inscribe-form", fields, "inscribed")

    chair.goto(f"{meeting}/room")
    waiting = chair.locator("#room ol").first.locator("li")
    expect(waiting).to_have_count(2)
    expect(waiting.nth(0)).to_contain_text("State B")  # head of government before ambassador
    expect(waiting.nth(1)).to_contain_text("State A")
    chair.screenshot(path=str(screenshots / "conference-room.png"), full_page=True)

    chair.goto(meeting)
    _act(chair, "conference-speakers-next-form", {"item": "2"}, "gave the floor")
    chair.goto(f"{meeting}/room")
    expect(chair.locator("#room")).to_contain_text("3:00 left")
    hands.moment += timedelta(minutes=1)
    expect(chair.locator("#room")).to_contain_text("2:00 left")  # the poll moves the timer

    ambassador.goto(meeting)
    fields = {"item": "2", "to": "BB", "speaker": "aa.delegate"}
    _act(ambassador, "conference-reply-form", fields, "right of reply")
    phone = person_page(opened, browser, url, "bb.head", "/conference", viewport=PHONE)
    phone.goto(f"{meeting}/room")
    expect(phone.locator("#room")).to_contain_text("Right of reply")
    expect(phone.locator("#room")).to_contain_text("in reply to State B")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    phone.screenshot(path=str(screenshots / "conference-room-phone.png"), full_page=True)

    chair.goto(meeting)
    fields = {"item": "2", "document": str(w.document), "revision": "0"}
    _act(chair, "conference-decide-form", fields, "by consensus")
    question = Question.objects.get().entry_index
    hands.moment += timedelta(minutes=11)
    chair.goto(meeting)
    _act(chair, f"conference-declare-form-{question}", {}, "adopted")
    decision = Question.objects.get().decision
    assert decision is not None
    chair.goto(meeting)
    expect(chair.locator(f"a[href='/charter/decisions/{decision}/']")).to_be_visible()
    chair.screenshot(path=str(screenshots / "conference-decided.png"), full_page=True)

    premier.goto(f"{url}/charter/decisions/{decision}/")
    reading = "State B reads the decision as binding none."
    _act(premier, "interpret-form", {"text": reading}, "State B")
    premier.goto(meeting)
    expect(premier.locator("main")).to_contain_text(reading)
    premier.screenshot(path=str(screenshots / "conference-interpreted.png"), full_page=True)


def test_every_conference_page_fits_a_phone_in_english_and_russian(
    world: tuple[ConferenceWorld, Hands],
    browser: Browser,
    live_server: Any,
    screenshots: Path,
    opened: list[BrowserContext],
) -> None:
    w, _hands = world
    url = str(live_server.url)
    m = w.opening
    w.act(lambda: actions.open_list(AA_HEAD, m, "2"))
    w.act(lambda: actions.inscribe(BB_HEAD, m, "2", speaker="bb.head"))
    w.act(lambda: actions.give_floor(AA_HEAD, m, "2"))
    made = w.act(
        lambda: actions.circulate_and_deliver(
            BB_HEAD, m, "2", title="On the Charter", language="en", text="We welcome the draft."
        )
    )
    w.act(lambda: actions.issue_journal(SECRETARIAT, m))
    paths = [
        "/conference",
        f"/conference/{w.edition}",
        f"/conference/{w.edition}/participants",
        f"/conference/meetings/{m}",
        f"/conference/meetings/{m}/room",
        f"/conference/meetings/{m}/projector",
        f"/conference/meetings/{m}/journal",
        f"/conference/statements/{made[1].index}",
        "/conference/journal/2025-10-30",
    ]
    wide = []
    for language in ("en", "ru"):
        for who in ("", "aa.head"):
            if who:
                page = person_page(
                    opened, browser, url, who, "/conference", viewport=PHONE, locale=language
                )
            else:
                visitor = browser.new_context(viewport=PHONE, locale=language)
                opened.append(visitor)
                page = visitor.new_page()
            for path in paths:
                page.goto(f"{url}{path}")
                if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
                    wide.append(f"{language} {who or 'visitor'} {path}")
                name = path.strip("/").replace("/", "-")
                page.screenshot(
                    path=str(screenshots / f"{name}-{language}-{who or 'visitor'}.png"),
                    full_page=True,
                )
    assert wide == []
