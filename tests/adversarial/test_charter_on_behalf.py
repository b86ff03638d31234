"""No party withdraws, co-sponsors or positions itself on another's behalf.

A co-sponsorship is a party's own signature; a withdrawal belongs to the sponsor alone. The
probes: the chair withdrawing another party's amendment, a head of delegation acting in the
name of another party, a key signing for a party it does not belong to, a sponsor
co-sponsoring its own amendment, a second co-sponsorship, and an adviser, who may not act.
Each refusal leaves the log as it was.
"""

from functools import partial

import pytest

from accord.charter import actions
from accord.charter.models import Amendment, Cosponsorship
from accord.forum.actions import Actor
from accord.ledger import log_head
from accord.ledger.digest import digest
from accord.ledger.envelope import SignedStatement, Statement, format_time
from accord.ledger.errors import Rejected
from accord.ledger.models import Entry
from accord.ledger.submit import Submission, submit
from accord.lib import clock
from accord.tlog import note
from tests.charter.conftest import charter
from tests.charter.world import AA_HEAD, BB_HEAD, CharterWorld
from tests.forum.world import ORIGIN, SKEYS

__all__ = ["charter"]

pytestmark = pytest.mark.django_db


def _bb_amendment(charter: CharterWorld) -> int:
    proposed = charter.forum.act(
        partial(
            actions.amend, BB_HEAD, charter.document, "chp_1__art_2", "replace", text="BB's own."
        )
    )
    return proposed.index


def test_the_chair_cannot_withdraw_another_partys_amendment(charter: CharterWorld) -> None:
    amendment = _bb_amendment(charter)
    charter.forum.refused("not_sponsor", partial(actions.withdraw, AA_HEAD, amendment))
    assert Amendment.objects.get(entry_index=amendment).status == "open"


def test_a_head_cannot_act_in_the_name_of_another_party(charter: CharterWorld) -> None:
    amendment = _bb_amendment(charter)
    as_bb = Actor("BB", "aa.head")
    charter.forum.refused("not_your_party", partial(actions.withdraw, as_bb, amendment))
    charter.forum.refused(
        "not_your_party",
        partial(actions.state_position, Actor("AA", "bb.head"), amendment, "object"),
    )
    assert Amendment.objects.get(entry_index=amendment).status == "open"


def test_a_key_cannot_sign_a_cosponsorship_for_a_party_it_is_not_the_key_of(
    charter: CharterWorld,
) -> None:
    """AA signs with its key a co-sponsorship whose actor is CC, so that CC appears to back
    BB's amendment: the key is AA's, so the log refuses it."""
    amendment = _bb_amendment(charter)
    signer = note.Signer(SKEYS["AA"])
    with clock.simulated(charter.forum.ticking):
        statement = Statement(
            forum=ORIGIN,
            kind="charter.amendment.cosponsored",
            v=1,
            actor="CC",
            seq=log_head.last_seq("CC") + 1,
            at=format_time(clock.now()),
            distribution="public",
            body={"amendment": amendment},
        )
    forged = Submission(
        SignedStatement(statement, signer.sign(statement.signing_bytes()), signer.vkey)
    )
    size, before = Entry.objects.count(), digest(full=True)
    with pytest.raises(Rejected) as refused, clock.simulated(charter.forum.ticking):
        submit(forged)
    assert refused.value.code == "key_of_another_party"
    assert (Entry.objects.count(), digest(full=True)) == (size, before)
    assert not Cosponsorship.objects.exists()


def test_a_sponsor_does_not_cosponsor_itself_nor_anyone_twice(charter: CharterWorld) -> None:
    amendment = _bb_amendment(charter)
    charter.forum.refused("own_amendment", partial(actions.cosponsor, BB_HEAD, amendment))
    charter.forum.act(partial(actions.cosponsor, AA_HEAD, amendment))
    charter.forum.refused("cosponsor_already", partial(actions.cosponsor, AA_HEAD, amendment))
    assert list(Cosponsorship.objects.values_list("party", flat=True)) == ["AA"]


def test_an_adviser_cannot_cosponsor_for_the_party(charter: CharterWorld) -> None:
    amendment = _bb_amendment(charter)
    charter.forum.refused(
        "not_permitted", partial(actions.cosponsor, Actor("AA", "aa.adviser"), amendment)
    )


def test_nobody_cosponsors_a_withdrawn_amendment(charter: CharterWorld) -> None:
    amendment = _bb_amendment(charter)
    charter.forum.act(partial(actions.withdraw, BB_HEAD, amendment))
    charter.forum.refused("amendment_closed", partial(actions.cosponsor, AA_HEAD, amendment))
    charter.forum.refused("amendment_closed", partial(actions.withdraw, BB_HEAD, amendment))
