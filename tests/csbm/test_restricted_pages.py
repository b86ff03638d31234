"""A notification's restricted content never leaks through a page: a hazardous incident
addressed to BB alone shows its description to BB, its sender AA and the secretariat, and to
no one else — not to a visitor signed out, not to DD (participating, not addressed), not to
CC (invited, not participating) — on any CSBM page. An unaccredited reader acts on nothing,
and a POST without its CSRF token is refused."""

import pytest
from django.test import Client
from django.urls import reverse

from accord.csbm.models import Delivery
from accord.ledger.models import LogState
from accord.lib import clock
from tests.csbm.world import AA_HEAD, CsbmWorld
from tests.forum.world import signed_in

pytestmark = pytest.mark.django_db

SECRET = "A frigate crossed the bow of the survey vessel at 200 metres."
CONTACT = "Navy duty officer, channel sixteen"


def _incident(w: CsbmWorld) -> int:
    return w.notify(
        AA_HEAD,
        "hazardous-incident",
        {
            "addressees": ["BB"],
            "occurred_at": "2025-01-01T10:00:00Z",
            "location": "Open sea, 40 nautical miles off the coast",
            "description": SECRET,
            "point_of_contact": CONTACT,
        },
    )


def _pages(entry: int) -> list[str]:
    return [
        reverse("csbm-inbox"),
        reverse("csbm-inbox") + "?all=1",
        reverse("csbm-outbox"),
        reverse("csbm-notification", args=[entry]),
        reverse("csbm-consultations"),
        reverse("csbm-inspections"),
        reverse("csbm-notify"),
        reverse("csbm-webhook"),
    ]


def _read(w: CsbmWorld, client: Client, path: str) -> str:
    with clock.simulated(w.forum.ticking):
        answer = client.get(path)
    assert answer.status_code == 200, path
    return str(answer.content.decode())


@pytest.mark.parametrize(
    "who", ["", "dd.head", "cc.head"], ids=["signed-out", "not-addressed", "not-participating"]
)
def test_no_page_shows_the_content_to_a_reader_not_entitled(csbm: CsbmWorld, who: str) -> None:
    entry = _incident(csbm)
    client = signed_in(who) if who else Client()
    for path in _pages(entry):
        page = _read(csbm, client, path)
        assert SECRET not in page, path
        assert CONTACT not in page, path
    shown = _read(csbm, client, reverse("csbm-notification", args=[entry]))
    assert "read only by the sender, the recipients and the secretariat" in shown
    assert 'id="grid"' not in shown  # who acknowledged is for those entitled to it


@pytest.mark.parametrize("who", ["bb.head", "aa.head", "sec.clerk"])
def test_the_recipient_the_sender_and_the_secretariat_read_it(csbm: CsbmWorld, who: str) -> None:
    entry = _incident(csbm)
    shown = _read(csbm, signed_in(who), reverse("csbm-notification", args=[entry]))
    assert SECRET in shown
    assert CONTACT in shown
    assert 'id="grid"' in shown
    assert "State B" in shown


def test_an_adviser_whose_role_may_not_act_is_offered_nothing_and_refused(
    csbm: CsbmWorld,
) -> None:
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    size = LogState.objects.get().size
    adviser = signed_in("aa.adviser")
    page = _read(csbm, adviser, reverse("csbm-notify") + "?format=general-communication")
    assert 'name="subject"' not in page
    assert "csbm-notify-form" not in page
    with clock.simulated(csbm.forum.ticking):
        refused = adviser.post(
            reverse("csbm-notify"), {"format": "general-communication", **csbm.general()}
        )
    assert refused.status_code == 422
    assert LogState.objects.get().size == size
    with clock.simulated(csbm.forum.ticking):
        answer = signed_in("cc.head").post(reverse("csbm-acknowledge", args=[entry]))
    assert answer.status_code == 422
    assert LogState.objects.get().size == size


def test_a_post_without_its_csrf_token_is_refused_and_nothing_is_written(
    csbm: CsbmWorld,
) -> None:
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    size = LogState.objects.get().size
    client = signed_in("bb.head", enforce_csrf_checks=True)
    with clock.simulated(csbm.forum.ticking):
        answer = client.post(reverse("csbm-acknowledge", args=[entry]))
    assert answer.status_code == 403
    assert LogState.objects.get().size == size
    assert Delivery.objects.get(notification=entry, recipient="BB").ack_entry is None


def test_a_stranger_posts_to_no_act(csbm: CsbmWorld) -> None:
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    size = LogState.objects.get().size
    for path in (
        reverse("csbm-notify"),
        reverse("csbm-seal"),
        reverse("csbm-acknowledge", args=[entry]),
        reverse("csbm-close", args=[entry]),
        reverse("csbm-missed", args=[entry]),
        reverse("csbm-webhook"),
    ):
        assert Client().post(path, {"format": "general-communication"}).status_code == 403, path
    assert LogState.objects.get().size == size
