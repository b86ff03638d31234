"""Nobody concludes a silence procedure early, with an outcome the log does not show, twice,
or in the secretariat's place.

The conclusion is the secretariat's, after the deadline, and its outcome is recomputed from
the breaks in the log: the probes are a conclusion a minute before the deadline, "adopted"
over a break, "broken" with no break, a second conclusion, and the chair concluding its
own procedure. Each refusal leaves the log as it was.
"""

from datetime import timedelta
from functools import partial

import pytest

from accord.charter import actions
from accord.charter.models import Decision, Document, SilenceProcedure
from accord.ledger.envelope import format_time
from tests.charter.conftest import charter
from tests.charter.world import AA_HEAD, BB_HEAD, SECRETARIAT, CharterWorld

__all__ = ["charter"]

pytestmark = pytest.mark.django_db


def _opened(charter: CharterWorld, hours: int = 30) -> int:
    until = format_time(charter.forum.ticking.moment + timedelta(hours=hours))
    opened = charter.forum.act(partial(actions.open_silence, AA_HEAD, charter.document, 0, until))
    return opened.index


def test_the_secretariat_cannot_conclude_before_the_deadline(charter: CharterWorld) -> None:
    procedure = _opened(charter)
    charter.later(30 - 1 / 60)  # a minute before the deadline (less the seconds acts took)
    conclude = partial(actions.conclude_silence, SECRETARIAT, procedure)
    charter.forum.refused("not_yet", conclude)
    charter.forum.refused("not_yet", partial(conclude, "adopted"))
    assert SilenceProcedure.objects.get().status == "open"
    assert not Decision.objects.exists()


def test_it_cannot_adopt_over_a_break(charter: CharterWorld) -> None:
    procedure = _opened(charter)
    charter.forum.act(partial(actions.break_silence, BB_HEAD, procedure, "Not yet."))
    charter.later(31)
    charter.forum.refused(
        "wrong_outcome", partial(actions.conclude_silence, SECRETARIAT, procedure, "adopted")
    )
    assert Document.objects.get(entry_index=charter.document).status == "under_silence"
    assert not Decision.objects.exists()


def test_it_cannot_call_broken_a_silence_nobody_broke(charter: CharterWorld) -> None:
    procedure = _opened(charter)
    charter.later(31)
    charter.forum.refused(
        "wrong_outcome", partial(actions.conclude_silence, SECRETARIAT, procedure, "broken")
    )
    charter.forum.act(partial(actions.conclude_silence, SECRETARIAT, procedure))
    assert Decision.objects.get().document == charter.document


def test_a_procedure_is_concluded_once(charter: CharterWorld) -> None:
    procedure = _opened(charter)
    charter.later(31)
    charter.forum.act(partial(actions.conclude_silence, SECRETARIAT, procedure))
    for outcome in ("adopted", "broken"):
        charter.forum.refused(
            "concluded", partial(actions.conclude_silence, SECRETARIAT, procedure, outcome)
        )
    assert Decision.objects.count() == 1


def test_the_chair_does_not_conclude_in_the_secretariats_place(charter: CharterWorld) -> None:
    procedure = _opened(charter)
    charter.later(31)
    charter.forum.refused("not_permitted", partial(actions.conclude_silence, AA_HEAD, procedure))
    charter.forum.refused("not_permitted", partial(actions.conclude_silence, BB_HEAD, procedure))
    assert SilenceProcedure.objects.get().status == "open"
