"""A party registers, rotates and removes its witness; what counts is what only the party and
its witness could have signed.

World (tests/ledger/world.py): AA signs with its own key, BB's key is hosted, CC has its own
key too. Adversarial cases first: the host signing for a hosted party, a forged or missing
attestation, an attestation made for another party, address or log, another party changing
or removing AA's witness, a key registered twice.
"""

import hashlib
from typing import Any

import pytest

from accord.ledger.digest import digest
from accord.ledger.errors import Rejected
from accord.ledger.models import Entry, LogState, RegisteredWitness
from accord.ledger.replay import replay
from accord.ledger.submit import submit_hosted
from accord.ledger.wire import Submission
from accord.ledger.witness_registration import attest, attestation_message, attested
from accord.lib import clock
from accord.tlog import note
from accord.tlog.cosignature import Cosigner, MLDSACosigner, format_mldsa_skey
from tests.ledger.world import A_KEY, C_KEY, ORIGIN, World

pytestmark = pytest.mark.django_db

A_URL = "http://127.0.0.1:7381"


def witness_skey(name: str) -> str:
    return note.format_skey(name, hashlib.sha256(f"witness {name}".encode()).digest())


def witness_vkeys(name: str, *, mldsa: bool = False) -> list[str]:
    keys = [Cosigner(witness_skey(name)).vkey]
    if mldsa:
        seed = hashlib.sha256(f"ml-dsa {name}".encode()).digest()
        keys.append(MLDSACosigner(format_mldsa_skey(name, seed)).vkey)
    return keys


def registration(
    name: str = "aa.example/witness",
    *,
    party: str = "AA",
    url: str = A_URL,
    origin: str = ORIGIN,
    attestation: str | None = None,
    vkeys: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "name": name,
        "vkeys": vkeys if vkeys is not None else witness_vkeys(name),
        "url": url,
        "attestation": (
            attest(witness_skey(name), origin, party, url) if attestation is None else attestation
        ),
    }


class Seqs:
    """The next sequence number of each own-key party in the world."""

    def __init__(self) -> None:
        self.next = {"AA": 1, "CC": 1}

    def __call__(self, party: str) -> int:
        seq = self.next[party]
        self.next[party] += 1
        return seq


@pytest.fixture
def seqs() -> Seqs:
    return Seqs()


def own(
    world: World,
    seqs: Seqs,
    body: dict[str, Any],
    *,
    party: str = "AA",
    kind: str = "ledger.witness.registered",
) -> Submission:
    signer = {"AA": A_KEY, "CC": C_KEY}[party]
    signed = world.signed(signer, body, actor=party, kind=kind, seq=seqs(party))
    return Submission(signed)


def hosted(world: World, body: dict[str, Any], kind: str = "ledger.witness.registered") -> None:
    with clock.simulated(world.ticking):
        submit_hosted(actor="BB", kind=kind, v=1, body=body)


def refused(world: World, code: str, submission: Submission) -> None:
    size, before = LogState.objects.get().size, digest(full=True)
    with pytest.raises(Rejected) as refusal:
        world.submit(submission)
    assert refusal.value.code == code, refusal.value
    assert LogState.objects.get().size == size == Entry.objects.count()
    assert digest(full=True) == before


def test_a_registration_signed_with_a_hosted_key_is_taken_in_but_does_not_count(
    world: World,
) -> None:
    hosted(world, registration("bb.example/witness", party="BB"))
    row = RegisteredWitness.objects.get(name="bb.example/witness")
    assert (row.party, row.attested, row.own_custody) == ("BB", True, False)
    assert not row.counts


def test_a_forged_attestation_does_not_count(world: World, seqs: Seqs) -> None:
    forged = attest(witness_skey("someone.else"), ORIGIN, "AA", A_URL)
    world.submit(own(world, seqs, registration(attestation=forged)))
    row = RegisteredWitness.objects.get()
    assert (row.own_custody, row.attested, row.counts) == (True, False, False)


@pytest.mark.parametrize("attestation", ["", "not base64!", "AAAA"])
def test_a_missing_or_garbled_attestation_does_not_count(
    world: World, seqs: Seqs, attestation: str
) -> None:
    world.submit(own(world, seqs, registration(attestation=attestation)))
    assert not RegisteredWitness.objects.get().counts


@pytest.mark.parametrize(
    "made_for",
    [
        {"party": "CC"},
        {"url": "http://127.0.0.1:9999"},
        {"origin": "another.example/log"},
    ],
    ids=["another-party", "another-url", "another-log"],
)
def test_an_attestation_made_for_another_party_url_or_log_does_not_count(
    world: World, seqs: Seqs, made_for: dict[str, str]
) -> None:
    name = "aa.example/witness"
    given = {"origin": ORIGIN, "party": "AA", "url": A_URL} | made_for
    body = registration(name, attestation=attest(witness_skey(name), **given))
    world.submit(own(world, seqs, body))
    assert not RegisteredWitness.objects.get().attested


def test_another_party_cannot_take_over_a_registered_witness(world: World, seqs: Seqs) -> None:
    world.submit(own(world, seqs, registration()))
    refused(
        world,
        "witness_of_another_party",
        own(world, seqs, registration(party="CC", url="http://evil.example"), party="CC"),
    )
    assert RegisteredWitness.objects.get().party == "AA"


def test_another_party_cannot_remove_a_witness_it_did_not_register(
    world: World, seqs: Seqs
) -> None:
    world.submit(own(world, seqs, registration()))
    removal = own(
        world, seqs, {"name": "aa.example/witness"}, party="CC", kind="ledger.witness.removed"
    )
    refused(world, "witness_of_another_party", removal)
    assert RegisteredWitness.objects.get().removed_at is None


def test_the_host_cannot_remove_a_witness_for_the_party_it_hosts_another_for(
    world: World, seqs: Seqs
) -> None:
    world.submit(own(world, seqs, registration()))
    with pytest.raises(Rejected, match="registered by AA") as refusal:
        hosted(world, {"name": "aa.example/witness"}, "ledger.witness.removed")
    assert refusal.value.code == "witness_of_another_party"


def test_a_witness_key_registered_under_another_name_is_refused(world: World, seqs: Seqs) -> None:
    world.submit(own(world, seqs, registration()))
    same_key = Cosigner(witness_skey("aa.example/witness")).vkey
    # The same public key under another name (and so another key ID).
    public = note.parse_vkey(same_key, 0x04, 32)[2]
    renamed = note.format_vkey("copy.example/witness", bytes([0x04]) + public)
    body = registration("copy.example/witness", party="CC", vkeys=[renamed], attestation="")
    refused(world, "witness_key_in_use", own(world, seqs, body, party="CC"))


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"url": "ftp://127.0.0.1:7381"}, "bad_witness_url"),
        ({"url": "http://127.0.0.1:7381/"}, "bad_witness_url"),
        ({"url": "http://127.0.0.1:7381/?x=1"}, "bad_witness_url"),
        ({"url": "http://user@127.0.0.1:7381"}, "bad_witness_url"),
        ({"vkeys": ["not a key"]}, "bad_witness_key"),
        ({"vkeys": witness_vkeys("other.example/witness")}, "bad_witness_key"),
        ({"vkeys": witness_vkeys("aa.example/witness", mldsa=True)[::-1]}, "bad_witness_key"),
        ({"name": "has space"}, "bad_witness_key"),
    ],
    ids=["scheme", "slash", "query", "credentials", "junk", "named-otherwise", "order", "name"],
)
def test_a_malformed_key_or_url_is_refused(
    world: World, seqs: Seqs, change: dict[str, Any], code: str
) -> None:
    refused(world, code, own(world, seqs, registration() | change))


def test_removing_an_unknown_witness_is_refused(world: World, seqs: Seqs) -> None:
    refused(
        world,
        "unknown_witness",
        own(world, seqs, {"name": "nobody.example/witness"}, kind="ledger.witness.removed"),
    )


def test_an_own_key_registration_attested_by_its_witness_counts(world: World, seqs: Seqs) -> None:
    name = "aa.example/witness"
    accepted = world.submit(own(world, seqs, registration(vkeys=witness_vkeys(name, mldsa=True))))
    row = RegisteredWitness.objects.get()
    assert (row.party, row.url, row.registered_at) == ("AA", A_URL, accepted.index)
    assert row.keys == witness_vkeys(name, mldsa=True)
    assert (row.own_custody, row.attested, row.counts) == (True, True, True)
    assert Entry.objects.get(index=accepted.index).kind == "ledger.witness.registered"


def test_a_plain_ed25519_witness_key_is_kept_in_its_cosignature_form(
    world: World, seqs: Seqs
) -> None:
    name = "aa.example/witness"
    plain = note.Signer(witness_skey(name)).vkey
    world.submit(own(world, seqs, registration(vkeys=[plain])))
    assert RegisteredWitness.objects.get().keys == witness_vkeys(name)
    assert RegisteredWitness.objects.get().counts


def test_registering_the_same_name_again_rotates_its_address(world: World, seqs: Seqs) -> None:
    world.submit(own(world, seqs, registration()))
    moved = "https://witness.aa.example"
    rotated = world.submit(own(world, seqs, registration(url=moved)))
    row = RegisteredWitness.objects.get()
    assert (row.url, row.registered_at, row.counts) == (moved, rotated.index, True)


def test_a_removed_witness_stops_counting_and_its_name_is_free_again(
    world: World, seqs: Seqs
) -> None:
    world.submit(own(world, seqs, registration()))
    removed = world.submit(
        own(world, seqs, {"name": "aa.example/witness"}, kind="ledger.witness.removed")
    )
    row = RegisteredWitness.objects.get()
    assert (row.removed_at, row.counts) == (removed.index, False)
    refused(
        world,
        "unknown_witness",
        own(world, seqs, {"name": "aa.example/witness"}, kind="ledger.witness.removed"),
    )
    world.submit(own(world, seqs, registration(party="CC"), party="CC"))
    row = RegisteredWitness.objects.get()
    assert (row.party, row.removed_at, row.counts) == ("CC", None, True)


def test_replay_reproduces_the_registrations(world: World, seqs: Seqs) -> None:
    world.submit(own(world, seqs, registration()))
    hosted(world, registration("bb.example/witness", party="BB"))
    world.submit(own(world, seqs, {"name": "aa.example/witness"}, kind="ledger.witness.removed"))
    world.submit(own(world, seqs, registration("cc.example/witness", party="CC"), party="CC"))
    live = digest(full=True)
    assert replay().full_digest == live
    rows = sorted(RegisteredWitness.objects.values_list("name", "own_custody"))
    assert rows == [
        ("aa.example/witness", True),
        ("bb.example/witness", False),
        ("cc.example/witness", True),
    ]


def test_the_attestation_binds_origin_party_and_url_in_that_order() -> None:
    message = attestation_message("o", "P", "http://u")
    assert message == b"accord-witness-registration/v1\no\nP\nhttp://u\n"
    key = witness_vkeys("w.example")[0]
    signature = attest(witness_skey("w.example"), "o", "P", "http://u")
    assert attested(key, signature, "o", "P", "http://u")
    assert not attested(key, signature, "o", "P", "http://u2")
    assert not attested("junk", signature, "o", "P", "http://u")
