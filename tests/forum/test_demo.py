"""The demo forum, built in-process on the test database (SQLite and PostgreSQL)."""

import pytest

from accord.forum import demo
from accord.forum.models import Accreditation, Forum, ForumParty, Invitation
from accord.ledger.digest import digest
from accord.ledger.errors import NotAllowed
from accord.ledger.models import Entry, LogState
from accord.ledger.replay import replay
from tests.forum.world import ForumWorld

pytestmark = pytest.mark.django_db


def test_the_demo_tells_the_story_and_builds_once(db: None) -> None:
    steps: list[int] = []
    assert demo.build(steps.append) is True
    assert steps == list(range(1, len(steps) + 1))
    assert LogState.objects.get().origin == demo.ORIGIN
    statuses = dict(ForumParty.objects.values_list("code", "status"))
    assert {code for code, status in statuses.items() if status == "participating"} == {
        "BY",
        "RU",
        "HU",
        "KZ",
        "CN",
    }
    for code in ("PL", "LT", "LV", "BG", "RO", "EU"):
        assert statuses[code] == "invited"
    assert ForumParty.objects.get(code="EU").category == "organisation"
    assert Forum.objects.get().chair == "BY"
    for code in ("BY", "RU", "HU", "KZ", "CN"):
        assert Accreditation.objects.filter(party=code, role="head").exists()
    first = Entry.objects.order_by("index").first()
    assert first is not None
    assert first.logged_at.startswith("2025-01-30T09:00")
    answers = Invitation.objects.filter(party="HU").values_list("answer", flat=True)
    assert list(answers) == ["accepted"]

    size, before = LogState.objects.get().size, digest(full=True)
    assert demo.build() is False
    assert (LogState.objects.get().size, digest(full=True)) == (size, before)
    replayed = replay()
    assert replayed.full_digest == before


def test_the_demo_is_not_built_into_another_log(forum: ForumWorld) -> None:
    with pytest.raises(NotAllowed, match="build the demo in another"):
        demo.build()


def test_every_demo_person_has_a_password_that_signs_in(db: None) -> None:
    demo.build()
    from django.contrib.auth import authenticate  # noqa: PLC0415
    from django.test import RequestFactory  # noqa: PLC0415

    for person in demo.people():
        request = RequestFactory().post("/sign-in")
        user = authenticate(request, username=person.handle, password=person.password)
        assert user is not None, person.handle
