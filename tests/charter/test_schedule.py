"""The scheduler's round concludes a silence once its deadline has passed, as the secretariat,
reminds the delegations a day before, once, and leaves a silence still running alone."""

from datetime import timedelta
from functools import partial

import pytest

from accord.charter import actions
from accord.charter.models import Decision, SilenceProcedure
from accord.ledger.envelope import format_time
from accord.ledger.models import Entry, OutboxMessage
from accord.ledger.schedule import run_due
from accord.lib import clock
from tests.charter.world import AA_HEAD, CharterWorld

pytestmark = pytest.mark.django_db


def _round(charter: CharterWorld) -> list[str]:
    with clock.simulated(charter.forum.ticking):
        found = run_due(clock.now())
    assert found.failed == []
    return found.done


def test_a_round_reminds_once_then_concludes_after_the_deadline(charter: CharterWorld) -> None:
    until = format_time(charter.forum.ticking.moment + timedelta(hours=48))
    opened = charter.forum.act(partial(actions.open_silence, AA_HEAD, charter.document, 0, until))
    assert _round(charter) == []
    charter.later(30)
    assert _round(charter) == ["Reminded the delegations of 1 silence ending within a day."]
    reminders = OutboxMessage.objects.filter(
        payload__about=f"charter.silence.reminder:{opened.index}"
    )
    assert reminders.count() == 4
    assert _round(charter) == []  # reminded once
    charter.later(19)
    (done,) = _round(charter)
    assert done.startswith(f"Concluded the silence of entry {opened.index}")
    conclusion = Entry.objects.order_by("-index").first()
    assert conclusion is not None
    assert conclusion.kind == "charter.silence.concluded"
    assert conclusion.actor == "secretariat"
    assert SilenceProcedure.objects.get().status == "adopted"
    assert Decision.objects.get().source == opened.index
