"""A statement's ``at`` is what its signer claims; deadlines are judged by ``logged_at``.

A party with its own key can write any ``at`` it likes. The probes: a silence break signed
with an ``at`` before the deadline and sent after it, and an interpretative statement
backdated into its window after the window closed. Both are refused, the log unchanged;
a statement claiming a later time than the log's is judged by the log's time too.
"""

from datetime import timedelta
from functools import partial
from typing import Any

import pytest

from accord.charter import actions
from accord.charter.models import Interpretation, SilenceBreak
from accord.ledger import log_head
from accord.ledger.digest import digest
from accord.ledger.envelope import SignedStatement, Statement, format_time, parse_time
from accord.ledger.errors import Rejected
from accord.ledger.models import Entry
from accord.ledger.submit import Submission, submit, submit_hosted
from accord.lib import clock
from accord.tlog import note
from tests.charter.conftest import charter
from tests.charter.world import AA_HEAD, CharterWorld
from tests.forum.world import ORIGIN, skey

__all__ = ["charter"]

pytestmark = pytest.mark.django_db


def _own_key(charter: CharterWorld) -> note.Signer:
    """BB's head registers a key BB keeps itself, as a national system would."""
    signer = note.Signer(skey("bb.own"))
    charter.forum.act(
        partial(
            submit_hosted,
            actor="BB",
            kind="ledger.key.added",
            v=1,
            body={"vkey": signer.vkey, "custody": "own"},
            by="bb.head",
        )
    )
    return signer


def _signed(signer: note.Signer, kind: str, body: dict[str, Any], at: str) -> Submission:
    statement = Statement(
        forum=ORIGIN,
        kind=kind,
        v=1,
        actor="BB",
        seq=log_head.last_seq("BB") + 1,
        at=at,
        distribution="public",
        body=body,
    )
    return Submission(
        SignedStatement(statement, signer.sign(statement.signing_bytes()), signer.vkey)
    )


def _refused(charter: CharterWorld, code: str, submission: Submission) -> None:
    size, before = Entry.objects.count(), digest(full=True)
    with pytest.raises(Rejected) as refused, clock.simulated(charter.forum.ticking):
        submit(submission)
    assert refused.value.code == code, refused.value.reason
    assert (Entry.objects.count(), digest(full=True)) == (size, before)


def _silence(charter: CharterWorld) -> tuple[int, str]:
    until = format_time(charter.forum.ticking.moment + timedelta(hours=30))
    opened = charter.forum.act(partial(actions.open_silence, AA_HEAD, charter.document, 0, until))
    return opened.index, until


def test_a_break_backdated_before_the_deadline_is_judged_by_when_the_log_took_it(
    charter: CharterWorld,
) -> None:
    signer = _own_key(charter)
    procedure, until = _silence(charter)
    claimed = format_time(parse_time(until) - timedelta(hours=1))
    charter.later(31)
    body = {"procedure": procedure, "reason": "We sent it in time.", "counter_proposal": ""}
    _refused(charter, "silence_ended", _signed(signer, "charter.silence.broken", body, claimed))
    assert not SilenceBreak.objects.exists()


def test_a_break_claiming_a_time_after_the_deadline_counts_if_the_log_took_it_before(
    charter: CharterWorld,
) -> None:
    signer = _own_key(charter)
    procedure, until = _silence(charter)
    claimed = format_time(parse_time(until) + timedelta(days=3))
    body = {"procedure": procedure, "reason": "Our clock is wrong.", "counter_proposal": ""}
    with clock.simulated(charter.forum.ticking):
        accepted = submit(_signed(signer, "charter.silence.broken", body, claimed))
    entry = Entry.objects.get(index=accepted.index)
    assert parse_time(entry.logged_at) < parse_time(until)
    assert SilenceBreak.objects.get().broken_at == entry.logged_at


def test_an_interpretation_backdated_into_its_window_is_refused(charter: CharterWorld) -> None:
    signer = _own_key(charter)
    procedure, _until = _silence(charter)
    charter.later(31)
    with clock.simulated(charter.forum.ticking):
        actions.conclude_due(clock.now())
    decision = Entry.objects.filter(kind="charter.silence.concluded").get()
    adopted = parse_time(decision.logged_at)
    charter.later(24 * 4)  # past the 72-hour window
    body = {"decision": decision.index, "text": "As we read it."}
    claimed = format_time(adopted + timedelta(hours=1))
    _refused(
        charter, "window_closed", _signed(signer, "charter.interpretation.attached", body, claimed)
    )
    assert not Interpretation.objects.exists()
    assert procedure < decision.index
