"""Only a participating party states positions, and only through an accredited person.

The probes: an invited party (CC), an observer (DD, invited as one and accepted), the
secretariat, an account that was added but never accredited, a handle no delegation knows,
and a person of one party speaking for another. Each refusal leaves the log as it was.
"""

from datetime import timedelta
from functools import partial

import pytest

from accord.charter import actions
from accord.charter.models import Position, SilenceBreak
from accord.forum import actions as forum_actions
from accord.forum.actions import Actor
from accord.forum.models import ForumParty
from accord.ledger.envelope import format_time
from accord.lib import clock
from tests.charter.conftest import charter
from tests.charter.world import AA_HEAD, BB_HEAD, CC_HEAD, SECRETARIAT, CharterWorld

__all__ = ["charter"]

pytestmark = pytest.mark.django_db

DD_HEAD = Actor("DD", "dd.head")


def _amendment(charter: CharterWorld) -> int:
    proposed = charter.forum.act(
        partial(actions.amend, BB_HEAD, charter.document, "chp_1__art_2", "replace", text="New.")
    )
    return proposed.index


def _observer(charter: CharterWorld) -> None:
    with clock.simulated(charter.forum.ticking):
        forum_actions.invite(AA_HEAD, "DD", "State D", capacity="observer")
        forum_actions.add_person("dd.head", party="DD", role="head", email="dd@example.org")
        forum_actions.accredit(Actor("DD"), "dd.head", "head")
        forum_actions.answer(DD_HEAD, "accepted")
    assert ForumParty.objects.get(code="DD").status == "observer"


def test_an_invited_party_states_no_position(charter: CharterWorld) -> None:
    amendment = _amendment(charter)
    charter.forum.refused(
        "not_permitted", partial(actions.state_position, CC_HEAD, amendment, "object")
    )
    charter.forum.refused(
        "not_permitted", partial(actions.state_position, Actor("CC"), amendment, "object")
    )
    assert not Position.objects.exists()


def test_an_observer_states_no_position_and_breaks_no_silence(charter: CharterWorld) -> None:
    amendment = _amendment(charter)
    _observer(charter)
    charter.forum.refused(
        "not_permitted", partial(actions.state_position, DD_HEAD, amendment, "object")
    )
    charter.forum.act(partial(actions.withdraw, BB_HEAD, amendment))
    until = format_time(charter.forum.ticking.moment + timedelta(hours=30))
    opened = charter.forum.act(partial(actions.open_silence, AA_HEAD, charter.document, 0, until))
    charter.forum.refused(
        "not_permitted", partial(actions.break_silence, DD_HEAD, opened.index, "We object.")
    )
    assert not Position.objects.exists()
    assert not SilenceBreak.objects.exists()


def test_the_secretariat_states_no_position(charter: CharterWorld) -> None:
    amendment = _amendment(charter)
    charter.forum.refused(
        "not_permitted", partial(actions.state_position, SECRETARIAT, amendment, "support")
    )


def test_an_account_never_accredited_states_no_position(charter: CharterWorld) -> None:
    amendment = _amendment(charter)
    with clock.simulated(charter.forum.ticking):
        forum_actions.add_person("aa.new", party="AA", role="delegate", email="new@example.org")
    charter.forum.refused(
        "unknown_person",
        partial(actions.state_position, Actor("AA", "aa.new"), amendment, "support"),
    )
    charter.forum.refused(
        "unknown_person",
        partial(actions.state_position, Actor("AA", "nobody"), amendment, "support"),
    )
    assert not Position.objects.exists()


def test_a_person_does_not_state_another_partys_position(charter: CharterWorld) -> None:
    amendment = _amendment(charter)
    charter.forum.refused(
        "not_your_party",
        partial(actions.state_position, Actor("AA", "bb.head"), amendment, "object"),
    )
    assert not Position.objects.exists()
