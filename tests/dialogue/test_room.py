"""The live room: the speakers' list in the order ``accord.dialogue.order`` gives, the rights
of reply apart, who has the floor and the time left; the poll costs the same queries for 2
inscriptions as for 40 (a benchmark polls it with 200 clients)."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.dialogue import actions
from accord.dialogue.models import LEVELS, Inscription
from accord.lib import clock
from tests.dialogue.world import AA_DELEGATE, AA_HEAD, BB_HEAD, ConferenceWorld, at
from tests.forum.world import signed_in

pytestmark = pytest.mark.django_db


def _did(w: ConferenceWorld, action: Callable[[], Any]) -> Any:
    return w.charter.forum.act(action)


def _get(w: ConferenceWorld, client: Client, path: str, **kw: Any) -> Any:
    with clock.simulated(w.forum.ticking):
        return client.get(path, **kw)


def _seed(w: ConferenceWorld, count: int) -> None:
    """``count`` inscriptions on item 2, written straight into the projection: the log lets a
    party inscribe once an item, and the world has three parties."""
    base = Inscription.objects.order_by("-entry_index").values_list("entry_index", flat=True)
    start = (base.first() or 0) + 10_000
    Inscription.objects.bulk_create(
        Inscription(
            entry_index=start + n,
            meeting=w.opening,
            item="2",
            party=("AA", "BB", "CC")[n % 3],
            speaker="aa.head",
            level=LEVELS[n % len(LEVELS)],
            kind="reply" if n % 7 == 0 else "statement",
            replying_to="AA" if n % 7 == 0 else "",
            seconds=180,
            inscribed_at=at(w.forum.ticking.moment),
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [2, 40])
def test_the_poll_costs_the_same_queries_whatever_the_list(
    conference: ConferenceWorld, client: Client, count: int, django_assert_num_queries: Any
) -> None:
    w = conference
    _did(w, lambda: actions.open_list(AA_HEAD, w.opening, "2", seconds=180))
    _seed(w, count)
    path = reverse("conference-room-poll", args=[w.opening])
    # The meeting, the log's state, the list, the item's title, the inscriptions; the party
    # names (two); the layout's context (the forum, whether it is the demo).
    with django_assert_num_queries(9):
        page = _get(w, client, path)
    assert page.status_code == 200
    assert page.content.decode().count("<li>") == count
    # Until the log grows, the next poll reads the lists from the cache: the meeting, the
    # log's state and the layout's two.
    with django_assert_num_queries(4):
        again = _get(w, client, path)
    assert again.content.decode().count("<li>") == count
    # A new entry (a point of order) is on the next poll.
    _did(
        w,
        lambda: actions.inscribe(BB_HEAD, w.opening, "2", speaker="bb.head", point_of_order=True),
    )
    assert _get(w, client, path).content.decode().count("<li>") == count + 1


def test_the_order_is_points_of_order_then_level_then_time_and_replies_last(
    conference: ConferenceWorld, client: Client
) -> None:
    w = conference
    m = w.opening
    _did(w, lambda: actions.open_list(AA_HEAD, m, "2", seconds=120))
    _did(w, lambda: actions.inscribe(AA_HEAD, m, "2", speaker="aa.delegate"))  # ambassador
    _did(w, lambda: actions.inscribe(BB_HEAD, m, "2", speaker="bb.head"))  # head of government
    text = _get(w, client, reverse("conference-room", args=[m])).content.decode()
    speakers = text[text.index("Speakers' list") :]
    assert speakers.index("State B") < speakers.index("State A")
    assert "Nobody has the floor." in text
    _did(w, lambda: actions.give_floor(AA_HEAD, m, "2"))
    w.later(0.5)
    poll = _get(w, client, reverse("conference-room-poll", args=[m])).content.decode()
    floor = poll[poll.index("The floor") : poll.index("Speakers' list")]
    assert "State B" in floor
    assert re.search(r"1:[23][0-9] left", floor)  # 120 seconds, some 30 spent
    _did(w, lambda: actions.give_floor(AA_HEAD, m, "2"))
    _did(w, lambda: actions.reply(BB_HEAD, m, "2", to="AA", speaker="bb.head"))
    poll = _get(w, client, reverse("conference-room-poll", args=[m])).content.decode()
    replies = poll[poll.index("Right of reply") :]
    assert "State B" in replies
    assert "in reply to State A" in replies


def test_the_room_polls_its_partial_with_the_vendored_htmx(
    conference: ConferenceWorld, client: Client
) -> None:
    page = _get(conference, client, reverse("conference-room", args=[conference.opening]))
    text = page.content.decode()
    assert f'hx-get="{reverse("conference-room-poll", args=[conference.opening])}"' in text
    assert 'hx-trigger="every 2s"' in text
    assert "/static/htmx/htmx.min.js" in text
    assert "https://" not in text.split("<body>")[0]


def test_the_projector_shows_the_speaker_the_time_and_the_next_three(
    conference: ConferenceWorld, client: Client
) -> None:
    w = conference
    m = w.opening
    _did(w, lambda: actions.open_list(AA_HEAD, m, "2", seconds=60))
    _did(w, lambda: actions.inscribe(BB_HEAD, m, "2", speaker="bb.head"))
    _did(w, lambda: actions.inscribe(AA_DELEGATE, m, "2", speaker="aa.delegate"))
    _did(w, lambda: actions.give_floor(AA_HEAD, m, "2"))
    text = _get(w, client, reverse("conference-projector", args=[m])).content.decode()
    assert "<h1>State B</h1>" in text
    assert re.search(r'role="timer">[01]:[0-5][0-9]<', text)
    assert "<h2>State A</h2>" in text
    partial = _get(w, client, reverse("conference-projector", args=[m]), HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert "<h1>State B</h1>" in partial.content.decode()


def test_the_room_speaks_russian(conference: ConferenceWorld, client: Client) -> None:
    w = conference
    _did(w, lambda: actions.open_list(AA_HEAD, w.opening, "2"))
    text = _get(
        w, client, reverse("conference-room", args=[w.opening]), HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    assert "Список ораторов" in text
    assert "Право на ответ" in text


def test_the_rooms_forms_name_the_current_item_and_the_reader(
    conference: ConferenceWorld,
) -> None:
    """A delegate in the room inscribes on the item under discussion, as themselves, without
    typing either."""
    w = conference
    _did(w, lambda: actions.open_list(AA_HEAD, w.opening, "2.1"))
    page = _get(w, signed_in("bb.head"), reverse("conference-room", args=[w.opening]))
    form = page.content.decode()
    box = form[form.index('id="conference-speakers-inscribe') :]
    box = box[: box.index("</form>")]
    assert 'name="item" value="2.1"' in box
    assert 'name="speaker" value="bb.head"' in box
