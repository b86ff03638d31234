"""A whole meeting replays from the log alone: the full replay (with the restricted bodies this
host holds) reaches the live database's full digest, a public replay (without them) the public
digest, and ``accord replay --compare`` says the live database matches the log."""

from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

import pytest
from typer.testing import CliRunner

from accord.charter import actions as charter_actions
from accord.cli.main import app
from accord.dialogue import actions
from accord.dialogue.models import DeliveredStatement, Journal, Question
from accord.dialogue.rules import dialogue_rules
from accord.ledger import digest
from accord.ledger.models import Entry, RestrictedBody
from accord.ledger.replay import replay
from tests.dialogue.world import AA_HEAD, BB_HEAD, SECRETARIAT, ConferenceWorld

pytestmark = pytest.mark.django_db

T = TypeVar("T")
SECRET = "Секретно: the delegation proposes a line along the river."


def _act(w: ConferenceWorld, action: Callable[[], T]) -> T:
    return w.charter.forum.act(action)


def _meeting_run(w: ConferenceWorld) -> None:
    """The opening meeting from the list to the journal: two statements (one restricted), a
    right of reply, a decision adopted without objection that derestricts the restricted
    statement, an interpretative statement, a chair's summary and the journal."""
    m = w.opening
    _act(w, lambda: actions.open_list(AA_HEAD, m, "2"))
    _act(w, lambda: actions.inscribe(AA_HEAD, m, "2", speaker="aa.head"))
    _act(w, lambda: actions.inscribe(BB_HEAD, m, "2", speaker="bb.head"))
    _act(w, lambda: actions.give_floor(AA_HEAD, m, "2"))
    _act(
        w,
        lambda: actions.circulate_and_deliver(
            BB_HEAD, m, "2", title="On the Charter", language="en", text="We welcome the draft."
        ),
    )
    _act(w, lambda: actions.give_floor(AA_HEAD, m, "2"))
    restricted = _act(
        w,
        lambda: actions.circulate_and_deliver(
            AA_HEAD, m, "2", title="Restricted", language="ru", text=SECRET,
            distribution="restricted",
        ),
    )[1].index  # fmt: skip
    _act(w, lambda: actions.reply(BB_HEAD, m, "2", to="AA", speaker="bb.head"))
    _act(w, lambda: actions.give_floor(AA_HEAD, m, "2"))
    _act(w, lambda: actions.close_list(AA_HEAD, m, "2"))
    asked = _act(
        w,
        lambda: actions.ask(
            AA_HEAD, m, "2", document=w.document, revision=0, derestricts=[restricted]
        ),
    ).index
    w.charter.forum.ticking.moment += timedelta(minutes=dialogue_rules().objection_minutes + 1)
    declared = _act(w, lambda: actions.declare(AA_HEAD, asked)).index
    _act(w, lambda: actions.derestrict(AA_HEAD, restricted, decision=declared))
    _act(w, lambda: charter_actions.interpret(BB_HEAD, declared, "State B reads it so."))
    _act(
        w,
        lambda: actions.issue_summary(
            AA_HEAD, w.edition, title="Chair's summary", language="en", text="We met."
        ),
    )
    _act(w, lambda: actions.issue_journal(SECRETARIAT, m))
    assert Question.objects.get(entry_index=asked).status == "adopted"
    assert DeliveredStatement.objects.get(entry_index=restricted).derestricted_by is not None
    assert Journal.objects.filter(meeting=m).exists()
    assert RestrictedBody.objects.exists()


def test_a_meeting_replays_to_the_live_full_digest(conference: ConferenceWorld) -> None:
    _meeting_run(conference)
    live = (digest.digest(full=False), digest.digest(full=True))
    assert live[0] != live[1]  # the restricted body counts in the full digest only
    result = replay()
    assert (result.public_digest, result.full_digest) == live
    assert result.entries == Entry.objects.count()


def test_a_public_replay_without_restricted_bodies_reaches_the_public_digest(
    conference: ConferenceWorld,
) -> None:
    _meeting_run(conference)
    public = digest.digest(full=False)
    result = replay(full=False)
    assert result.public_digest == public
    assert result.full_digest != digest.digest(full=True)  # it held no restricted body
    assert result.entries == Entry.objects.count()


def test_replay_compare_through_the_cli(conference: ConferenceWorld) -> None:
    _meeting_run(conference)
    result = CliRunner().invoke(app, ["replay", "--compare"])
    assert result.exit_code == 0, result.output
    assert f"Replayed {Entry.objects.count()} entries." in result.output
    assert "The live database matches the log." in result.output
    assert digest.digest(full=True) in result.output
