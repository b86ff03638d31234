"""A restricted statement never leaks: its text and title are on no conference page for a
visitor signed out or for a person of a party that does not participate (CC is invited),
and are on the statement's page for a participating party's person and the delegation's."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.dialogue import actions
from accord.dialogue.models import DeliveredStatement
from accord.lib import clock
from tests.dialogue.world import AA_HEAD, BB_HEAD, ConferenceWorld
from tests.forum.world import signed_in

pytestmark = pytest.mark.django_db

SECRET = "The delegation reserves its position on article 5."
TITLE = "Reservation on article five"


def _did(w: ConferenceWorld, action: Callable[[], Any]) -> Any:
    return w.charter.forum.act(action)


def _restricted(w: ConferenceWorld) -> int:
    m = w.opening
    _did(w, lambda: actions.open_list(AA_HEAD, m, "2"))
    _did(w, lambda: actions.inscribe(AA_HEAD, m, "2", speaker="aa.head"))
    _did(w, lambda: actions.give_floor(AA_HEAD, m, "2"))
    made = _did(
        w,
        lambda: actions.circulate_and_deliver(
            AA_HEAD, m, "2", title=TITLE, language="en", text=SECRET, distribution="restricted"
        ),
    )
    delivered = DeliveredStatement.objects.get(entry_index=made[1].index)
    assert delivered.is_restricted
    return delivered.entry_index


def _pages(w: ConferenceWorld, statement: int) -> list[str]:
    return [
        reverse("conference-statement", args=[statement]),
        reverse("conference-meeting", args=[w.opening]),
        reverse("conference-journal", args=[w.opening]),
        reverse("conference-room", args=[w.opening]),
        reverse("conference-room-poll", args=[w.opening]),
        reverse("conference-projector", args=[w.opening]),
        reverse("conference-edition", args=[w.edition]),
        reverse("conference-day", args=["2025-10-30"]),
    ]


def _read(w: ConferenceWorld, client: Client, path: str) -> str:
    with clock.simulated(w.forum.ticking):
        answer = client.get(path)
    assert answer.status_code == 200, path
    return str(answer.content.decode())


@pytest.mark.parametrize("who", ["", "cc.head"], ids=["signed-out", "invited-party"])
def test_no_page_shows_a_restricted_text_to_a_reader_not_entitled(
    conference: ConferenceWorld, who: str
) -> None:
    w = conference
    statement = _restricted(w)
    client = signed_in(who) if who else Client()
    for path in _pages(w, statement):
        page = _read(w, client, path)
        assert SECRET not in page, path
        assert TITLE not in page, path
    shown = _read(w, client, reverse("conference-statement", args=[statement]))
    assert "Restricted to the participating parties" in shown
    assert DeliveredStatement.objects.get(entry_index=statement).symbol in shown


@pytest.mark.parametrize("who", ["bb.head", "aa.delegate"], ids=["participating", "delegation"])
def test_a_participating_partys_person_reads_the_restricted_text(
    conference: ConferenceWorld, who: str
) -> None:
    w = conference
    statement = _restricted(w)
    page = _read(w, signed_in(who), reverse("conference-statement", args=[statement]))
    assert SECRET in page
    assert "Restricted to the participating parties" not in page
    meeting = _read(w, signed_in(who), reverse("conference-meeting", args=[w.opening]))
    assert TITLE in meeting


def test_a_restricted_page_is_kept_by_no_shared_cache(conference: ConferenceWorld) -> None:
    w = conference
    statement = _restricted(w)
    with clock.simulated(w.forum.ticking):
        answer = signed_in("bb.head").get(reverse("conference-statement", args=[statement]))
    assert "private" in answer["Cache-Control"]
    assert "no-store" in answer["Cache-Control"]
    assert BB_HEAD.party == "BB"
