"""A revision's text must be exactly the current text with the incorporated amendments
applied, whoever signs it and however.

The chair's own tool signs the whole body (number, choices, complete text, hash). The probes,
each a hand-signed statement by the chair's own key: a text that slips in a word no
amendment proposed, a text that leaves out an incorporated amendment, a hash of another
text, a number that skips ahead, and two alternatives to one provision taken together with
a text that applies both. Each refusal leaves the log as it was.
"""

from dataclasses import replace
from functools import partial
from typing import Any

import pytest

from accord.charter import actions
from accord.charter.models import Document, Revision
from accord.charter.statements import text_sha256
from accord.charter.text import Provision
from accord.ledger import log_head
from accord.ledger.digest import digest
from accord.ledger.envelope import SignedStatement, Statement, format_time
from accord.ledger.errors import Rejected
from accord.ledger.models import Entry
from accord.ledger.submit import Submission, submit, submit_hosted
from accord.lib import clock
from accord.tlog import note
from tests.charter.conftest import charter
from tests.charter.world import BB_HEAD, CharterWorld
from tests.forum.world import ORIGIN, skey

__all__ = ["charter"]

pytestmark = pytest.mark.django_db


def _chairs_own_key(charter: CharterWorld) -> note.Signer:
    signer = note.Signer(skey("aa.own"))
    charter.forum.act(
        partial(
            submit_hosted,
            actor="AA",
            kind="ledger.key.added",
            v=1,
            body={"vkey": signer.vkey, "custody": "own"},
            by="aa.head",
        )
    )
    return signer


def _signed(charter: CharterWorld, signer: note.Signer, body: dict[str, Any]) -> Submission:
    with clock.simulated(charter.forum.ticking):
        statement = Statement(
            forum=ORIGIN,
            kind="charter.revision.issued",
            v=1,
            actor="AA",
            seq=log_head.last_seq("AA") + 1,
            at=format_time(clock.now()),
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
    assert not Revision.objects.exists()
    assert Document.objects.get(entry_index=charter.document).revision == 0


def _with_text(body: dict[str, Any], provisions: list[Provision]) -> dict[str, Any]:
    return {
        **body,
        "provisions": [p.to_json() for p in provisions],
        "sha256": text_sha256(provisions),
    }


@pytest.fixture
def honest(charter: CharterWorld) -> dict[str, Any]:
    """The body the chair's choices make: incorporate BB's new wording of article 2."""
    amendment = charter.forum.act(
        partial(
            actions.amend,
            BB_HEAD,
            charter.document,
            "chp_1__art_2",
            "replace",
            text="Each Party shall respect the indivisibility of security in Eurasia.",
        )
    ).index
    return actions.revision_body(charter.document, [amendment], [])


def _provisions(body: dict[str, Any]) -> list[Provision]:
    return [Provision.from_json(p) for p in body["provisions"]]


def test_a_text_with_a_word_no_amendment_proposed_is_refused(
    charter: CharterWorld, honest: dict[str, Any]
) -> None:
    signer = _chairs_own_key(charter)
    text = _provisions(honest)
    text[0] = replace(text[0], text="Recalling the principles of sovereign equality, firmly,")
    _refused(charter, "revision_mismatch", _signed(charter, signer, _with_text(honest, text)))


def test_a_text_that_leaves_out_an_incorporated_amendment_is_refused(
    charter: CharterWorld, honest: dict[str, Any]
) -> None:
    signer = _chairs_own_key(charter)
    current = actions.revision_body(charter.document, [], [])
    body = _with_text(honest, _provisions(current))
    _refused(charter, "revision_mismatch", _signed(charter, signer, body))


def test_a_hash_of_another_text_is_refused(charter: CharterWorld, honest: dict[str, Any]) -> None:
    signer = _chairs_own_key(charter)
    other = actions.revision_body(charter.document, [], [])
    body = {**honest, "sha256": other["sha256"]}
    _refused(charter, "revision_mismatch", _signed(charter, signer, body))


def test_a_revision_number_that_skips_ahead_is_refused(
    charter: CharterWorld, honest: dict[str, Any]
) -> None:
    signer = _chairs_own_key(charter)
    _refused(charter, "bad_number", _signed(charter, signer, {**honest, "number": 2}))


def test_the_honest_body_signed_by_the_chairs_own_key_is_taken(
    charter: CharterWorld, honest: dict[str, Any]
) -> None:
    signer = _chairs_own_key(charter)
    with clock.simulated(charter.forum.ticking):
        submit(_signed(charter, signer, honest))
    assert Revision.objects.get().sha256 == honest["sha256"]
