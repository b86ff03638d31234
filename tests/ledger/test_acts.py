"""The act registry: one declaration per kind, and grants that reach only a newly founded forum."""

from collections.abc import Iterator

import pytest

from accord.forum import actions, founding, queries
from accord.forum.profile import standard
from accord.ledger import acts
from accord.ledger.acts import Act, declare
from accord.ledger.registry import Body
from accord.lib import clock
from tests.forum.world import FORUM_TOML, SKEYS
from tests.ledger.world import Ticking


class Noted(Body):
    """A kind for these tests only; never registered as a statement kind."""

    kind = "test.noted"
    v = 1
    text: str


NOTED = Act(
    Noted,
    lambda _actor, _fields: [],
    "Note it",
    "%(actor)s noted %(text)s",
    ((("participating",), ("head", "delegate")), (("chair",), ("party",))),
    cli="test note",
    api="POST /test/notes",
    page="test-note",
)


@pytest.fixture
def noted() -> Iterator[Act]:
    declare(NOTED)
    yield NOTED
    del acts.ACTS[NOTED.kind]


def test_a_kind_is_declared_once(noted: Act) -> None:
    with pytest.raises(RuntimeError, match="declared twice"):
        declare(noted)


def test_kind_and_version_come_from_the_body_model(noted: Act) -> None:
    assert (noted.kind, noted.v) == ("test.noted", 1)


def test_default_grants_are_every_standing_with_every_role_of_each_pair(noted: Act) -> None:
    assert acts.default_grants()["test.noted"] == [
        "participating:head",
        "participating:delegate",
        "chair:party",
    ]


def test_a_done_act_is_told_with_the_actor_and_the_body(noted: Act) -> None:
    assert noted.describe("Romania", {"text": "the agenda"}) == "Romania noted the agenda"


@pytest.mark.django_db
def test_an_apps_grants_reach_a_new_forums_profile_but_never_an_existing_one() -> None:
    ticking = Ticking()
    with clock.simulated(ticking):
        actions.found_forum(founding.parse(FORUM_TOML), skeys=SKEYS)
    declare(NOTED)
    try:
        found = queries.profile()
        assert found is not None
        assert "test.noted" not in found[1].may  # the founding statement carried the grants
        assert standard().may["test.noted"] == NOTED.default_may()  # a new forum takes them
    finally:
        del acts.ACTS[NOTED.kind]
