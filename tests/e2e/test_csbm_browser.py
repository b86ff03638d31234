"""Confidence-building measures in the browser: AA's head of delegation fills in a prior
notification, the live threshold check answering as the troops are typed (not notifiable at
8,000, notifiable once they pass 9,000); BB's head finds it in the inbox with its deadline
badge and acknowledges it; AA's head sees the acknowledgement grid fill. Each person has a
browser of their own on a live server; the host's clock is the test's. The inbox and the
notification fit a phone's width (390 px) in English and Russian, and the Russian pages show
no English from the interface. Every step is kept as a screenshot under var/screenshots/."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from accord.csbm import actions
from accord.csbm.models import Delivery, Notification
from accord.ledger.models import Party
from accord.lib import clock
from accord.people.models import Person
from tests.csbm.world import AA_HEAD, BB_HEAD, CsbmWorld, build
from tests.e2e.live import PHONE, Hands, person_page
from tests.test_translations import _english_left, _interface_strings, _visible_text

pytestmark = pytest.mark.usefixtures("synchronous_database")


@pytest.fixture
def world(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[CsbmWorld, Hands]]:
    for built in build():
        hands = Hands(built.forum.ticking.moment + timedelta(minutes=1))
        monkeypatch.setattr(clock, "now", hands)
        yield built, hands


def test_a_prior_notification_is_sent_checked_received_and_acknowledged(  # noqa: PLR0915 -- one exchange, told in order
    world: tuple[CsbmWorld, Hands],
    browser: Browser,
    live_server: Any,
    screenshots: Path,
    opened: list[BrowserContext],
) -> None:
    _w, hands = world
    url = str(live_server.url)
    start = (hands.moment.date() + timedelta(days=60)).isoformat()
    end = (hands.moment.date() + timedelta(days=70)).isoformat()

    sender = person_page(opened, browser, url, "aa.head", "/csbm/")
    sender.goto(f"{url}/csbm/notify/?format=prior-notification")
    form = sender.locator("#csbm-notify-form")
    form.locator("[name=designation]").fill("Union Shield")
    form.locator("[name=purpose]").fill("A command-post and field exercise of an army group.")
    form.locator("[name=kind]").select_option("land_exercise")
    form.locator("[name=command_level]").fill("Army")
    form.locator("[name=starts_on]").fill(start)
    form.locator("[name=ends_on]").fill(end)
    form.locator("[name=area]").fill("Training ranges north of the capital")
    troops = form.locator("[name=forces_troops]")
    troops.fill("8000")
    check = sender.locator("#threshold")
    expect(check.locator("#notifiable")).to_have_text("not notifiable")
    sender.screenshot(path=str(screenshots / "csbm-threshold-below.png"), full_page=True)
    troops.fill("9500")
    expect(check.locator("#notifiable")).to_have_text("notifiable")
    expect(check).to_contain_text("Notify by")
    expect(check).to_contain_text("VD2011 §38.1.2.1 [S]")
    sender.screenshot(path=str(screenshots / "csbm-threshold-notifiable.png"), full_page=True)
    form.locator("button[type=submit]").click()
    expect(sender.locator(".receipt")).to_contain_text("State A sent a notification")
    sent = Notification.objects.get(format="prior-notification")
    assert sent.recipients == ["BB", "DD"]
    sender.screenshot(path=str(screenshots / "csbm-sent.png"), full_page=True)

    hands.moment += timedelta(hours=2)
    recipient = person_page(opened, browser, url, "bb.head", "/csbm/")
    recipient.goto(f"{url}/csbm/")
    row = recipient.locator("#inbox li").first
    expect(row).to_contain_text("Prior notification of a military activity")
    expect(row).to_contain_text("State A")
    expect(row.locator(".status.due")).to_contain_text("acknowledgement due in")
    recipient.screenshot(path=str(screenshots / "csbm-inbox.png"), full_page=True)
    row.get_by_role("link", name="Prior notification of a military activity").click()
    expect(recipient.locator("#content")).to_contain_text("Union Shield")
    box = recipient.locator(f"#csbm-acknowledge-form-{sent.entry_index}")
    if not box.is_visible():  # the page folds each act under its title
        recipient.locator(f"details:has(#{box.get_attribute('id')}) > summary").click()
    box.locator("button[type=submit]").click()
    expect(recipient.locator(".receipt")).to_contain_text("State B acknowledged notification")
    assert Delivery.objects.get(notification=sent.entry_index, recipient="BB").ack_on_time

    sender.goto(f"{url}/csbm/notifications/{sent.entry_index}/")
    expect(sender.locator("#delivery-BB")).to_contain_text("acknowledged on time")
    expect(sender.locator("#delivery-DD")).to_contain_text("acknowledgement due in")
    sender.screenshot(path=str(screenshots / "csbm-grid.png"), full_page=True)
    sender.goto(f"{url}/csbm/sent/")
    expect(sender.locator("#outbox")).to_contain_text("1 of 2 recipients acknowledged")


def test_the_inbox_and_a_notification_fit_a_phone_and_speak_russian(
    world: tuple[CsbmWorld, Hands],
    browser: Browser,
    live_server: Any,
    screenshots: Path,
    opened: list[BrowserContext],
) -> None:
    w, hands = world
    url = str(live_server.url)
    entry = w.notify(AA_HEAD, "prior-notification", w.prior(forces={"troops": 14000}))
    hands.moment += timedelta(hours=3)
    w.act(lambda: actions.acknowledge(BB_HEAD, entry))
    data = [
        *Party.objects.values_list("name", flat=True),
        *Person.objects.values_list("handle", flat=True),
        "Forum for Dialogue",
        "Union Shield",
        "A command-post and field exercise of a combined army group.",
        "Army",
        "Training ranges north of the capital",
    ]
    strings = _interface_strings()
    wide, english = [], []
    for language in ("en", "ru"):
        phone = person_page(
            opened, browser, url, "bb.head", "/csbm/", viewport=PHONE, locale=language
        )
        for path in ("/csbm/", f"/csbm/notifications/{entry}/"):
            phone.goto(f"{url}{path}")
            if phone.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
                wide.append(f"{language} {path}")
            if language == "ru":
                left = _english_left(_visible_text(phone.content(), data), strings)
                english += [f"{path}: {left}"] if left else []
            name = "inbox" if path == "/csbm/" else "notification"
            phone.screenshot(
                path=str(screenshots / f"csbm-{name}-phone-{language}.png"), full_page=True
            )
    assert wide == []
    assert english == []
