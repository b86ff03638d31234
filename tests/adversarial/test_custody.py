"""Custody is checked, not declared: the log records a key as hosted only if the host holds it
for that party, and the host signs only with keys the log records as hosted.

The world: A keeps its own key; B's key is hosted; the host also holds the log's key and the
secretariat's. Each test is something A (or a careless host) could try.
"""

import pytest

from accord.ledger.custody import HostedKeys
from accord.ledger.errors import Rejected
from accord.ledger.models import Entry, HostedKey, PartyKey
from accord.ledger.submit import Submission, submit_hosted
from accord.lib import clock
from accord.tlog import note
from tests.ledger.world import A_KEY, LOG_KEY, World, skey


def _refused(world: World, code: str, submission: Submission) -> Rejected:
    size = Entry.objects.count()
    with pytest.raises(Rejected) as refused:
        world.submit(submission)
    assert refused.value.code == code, refused.value.reason
    assert Entry.objects.count() == size
    return refused.value


def _key_added(world: World, vkey: str, custody: str) -> Submission:
    body = {"vkey": vkey, "custody": custody}
    return Submission(world.signed(A_KEY, body, kind="ledger.key.added", seq=1))


def test_a_party_cannot_record_a_hosted_key_the_host_does_not_hold(world: World) -> None:
    _, vkey = note.generate_key("aa.hosted")
    refusal = _refused(world, "key_not_held", _key_added(world, vkey, "hosted"))
    assert "the host does not hold" in refusal.reason
    assert not PartyKey.objects.filter(vkey=vkey).exists()


def test_a_party_cannot_record_the_logs_own_key_as_its_hosted_key(world: World) -> None:
    refusal = _refused(world, "key_not_held", _key_added(world, LOG_KEY.vkey, "hosted"))
    assert "for AA" in refusal.reason
    assert not PartyKey.objects.filter(vkey=LOG_KEY.vkey).exists()


def test_a_party_cannot_rotate_to_a_hosted_key_the_host_does_not_hold(world: World) -> None:
    _, vkey = note.generate_key("aa.rotated")
    body = {"old": A_KEY.vkey, "new": vkey, "custody": "hosted"}
    submission = Submission(world.signed(A_KEY, body, kind="ledger.key.rotated", seq=1))
    _refused(world, "key_not_held", submission)
    assert PartyKey.objects.get(vkey=A_KEY.vkey).revoked_at is None


def test_a_hosted_key_the_host_holds_for_the_party_is_recorded(world: World) -> None:
    vkey = HostedKeys().hold("AA", skey("aa.hosted"))
    world.submit(_key_added(world, vkey, "hosted"))
    assert PartyKey.objects.get(vkey=vkey).custody == "hosted"
    with clock.simulated(world.ticking):
        accepted = submit_hosted(
            actor="AA", kind="ledger.communique.published", v=1, body={"title": "t", "text": "x"}
        )
    assert accepted.statement.seq == 2


def test_an_own_key_may_be_recorded_without_the_host(world: World) -> None:
    _, vkey = note.generate_key("aa.second")
    world.submit(_key_added(world, vkey, "own"))
    assert PartyKey.objects.get(vkey=vkey).custody == "own"


def test_the_host_does_not_sign_with_a_key_it_holds_for_a_party_whose_custody_is_own(
    world: World,
) -> None:
    HostedKeys().hold("AA", skey("aa.example"))  # the host kept a copy of A's own key
    size = Entry.objects.count()
    with pytest.raises(Rejected) as refused, clock.simulated(world.ticking):
        submit_hosted(
            actor="AA", kind="ledger.communique.published", v=1, body={"title": "t", "text": "x"}
        )
    assert refused.value.code == "own_custody", refused.value.reason
    assert "AA keeps its own key" in refused.value.reason
    assert Entry.objects.count() == size


def test_a_hosted_key_the_host_lost_is_refused_with_a_sentence(world: World) -> None:
    bb_key = PartyKey.objects.get(party="BB").vkey
    HostedKey.objects.filter(vkey=bb_key).delete()
    with pytest.raises(Rejected) as refused, clock.simulated(world.ticking):
        submit_hosted(
            actor="BB", kind="ledger.communique.published", v=1, body={"title": "t", "text": "x"}
        )
    assert refused.value.code == "key_not_held", refused.value.reason
    assert "the host does not hold" in refused.value.reason
