"""The forum's witness policy: derived from the rules and the registrations, honest when unmet.

World (tests/forum/world.py): AA and BB participate with hosted keys, CC is only invited.
Each party that must count is given an own key here (``ledger.key.added``, custody own) and
registers its witness with it, as a national system would. Adversarial cases first: the host
registering for a hosted party, a party that does not participate, too few witnesses.
"""

import hashlib
from functools import partial
from typing import Any

import pytest
from django.test import Client
from typer.testing import CliRunner

from accord.cli.main import app
from accord.forum import actions
from accord.forum.profile import standard
from accord.forum.witness_acts import register_witness
from accord.forum.witness_policy import (
    QUORUM_GROUP,
    CountingWitness,
    WitnessRules,
    derive_policy,
    placeholder_key,
    witness_rules,
)
from accord.ledger.digest import digest
from accord.ledger.envelope import SignedStatement, Statement, format_time
from accord.ledger.models import ActorSeq, LogState, RegisteredWitness, WitnessContact
from accord.ledger.replay import replay
from accord.ledger.submit import submit, submit_hosted
from accord.ledger.wire import Submission
from accord.ledger.witness_registration import attest
from accord.ledger.witnesses import current_witnesses
from accord.lib import clock
from accord.tlog import note
from accord.tlog.checkpoint import Checkpoint
from accord.tlog.cosignature import Cosigner
from accord.tlog.policy import Policy
from tests.forum.world import AA_HEAD, BB_HEAD, CC_HEAD, ORIGIN, ForumWorld, signed_in, skey

pytestmark = pytest.mark.django_db

LOG = note.Signer(skey(ORIGIN))


def witness_skey(name: str) -> str:
    return note.format_skey(name, hashlib.sha256(f"witness {name}".encode()).digest())


def own_key(party: str) -> note.Signer:
    return note.Signer(skey(f"{party.lower()}.own"))


def give_own_key(forum: ForumWorld, party: str) -> None:
    body = {"vkey": own_key(party).vkey, "custody": "own"}
    forum.act(
        lambda: submit_hosted(
            actor=party, kind="ledger.key.added", v=1, body=body, by=f"{party.lower()}.head"
        )
    )


def body_for(party: str, name: str, url: str, *, attested: bool = True) -> dict[str, Any]:
    attestation = attest(witness_skey(name), ORIGIN, party, url) if attested else ""
    return {
        "name": name,
        "vkeys": [Cosigner(witness_skey(name)).vkey],
        "url": url,
        "attestation": attestation,
    }


def signed_own(forum: ForumWorld, party: str, kind: str, body: dict[str, Any]) -> None:
    seq = ActorSeq.objects.get(actor=party).last_seq + 1
    statement = Statement(
        forum=ORIGIN,
        kind=kind,
        v=1,
        actor=party,
        seq=seq,
        at=format_time(forum.ticking.moment),
        distribution="public",
        body=body,
    )
    signer = own_key(party)
    signed = SignedStatement(statement, signer.sign(statement.signing_bytes()), signer.vkey)
    with clock.simulated(forum.ticking):
        submit(Submission(signed))


def register_own(forum: ForumWorld, party: str, *, attested: bool = True) -> str:
    name = f"{party.lower()}.example/witness"
    url = f"http://127.0.0.1:{7380 + len(RegisteredWitness.objects.all()) + 1}"
    signed_own(
        forum, party, "ledger.witness.registered", body_for(party, name, url, attested=attested)
    )
    return name


def cosigned(names: list[str]) -> str:
    """A checkpoint of this log, cosigned by the witnesses named."""
    size = LogState.objects.get().size
    text = Checkpoint(ORIGIN, size, hashlib.sha256(b"root").digest()).text()
    signed = note.sign(text, LOG)
    lines = "".join(Cosigner(witness_skey(name)).cosign(text, 1_700_000_000) for name in names)
    return signed + lines


# -- what the host cannot do ---------------------------------------------------------------------


def test_the_host_registering_witnesses_for_its_hosted_parties_meets_no_quorum(
    forum: ForumWorld,
) -> None:
    for actor in (AA_HEAD, BB_HEAD):
        name = f"{actor.party.lower()}.host/witness"
        url = f"http://host.example/{actor.party}"
        body = body_for(actor.party, name, url)
        forum.act(partial(register_witness, actor, **body))
    found = current_witnesses()
    assert [one.counts for one in found.endpoints] == [False, False]
    assert found.policy is not None
    assert not found.policy.witnessed(["aa.host/witness", "bb.host/witness"])
    assert not found.policy.check(cosigned(["aa.host/witness", "bb.host/witness"])).met


def test_a_witness_of_a_party_that_left_the_forum_no_longer_counts(forum: ForumWorld) -> None:
    for party in ("AA", "BB"):
        give_own_key(forum, party)
        register_own(forum, party)
    forum.act(lambda: actions.leave(BB_HEAD))
    found = current_witnesses()
    assert [(one.party, one.counts) for one in found.endpoints] == [("AA", True), ("BB", False)]
    assert found.policy is not None
    assert "bb.example/witness" not in found.policy_text
    assert found.policy.check(cosigned(["aa.example/witness"])).met  # one party, majority 1


def test_an_invited_party_may_not_register_a_witness(forum: ForumWorld) -> None:
    forum.refused(
        "not_permitted",
        lambda: register_witness(CC_HEAD, **body_for("CC", "cc.example/witness", "http://c")),
    )


def test_an_own_key_registration_without_attestation_does_not_count(forum: ForumWorld) -> None:
    give_own_key(forum, "AA")
    name = register_own(forum, "AA", attested=False)
    found = current_witnesses()
    assert [one.counts for one in found.endpoints] == [False]
    assert found.policy is not None
    assert not found.policy.check(cosigned([name])).met


def test_a_policy_with_too_few_witnesses_is_published_and_unmet(forum: ForumWorld) -> None:
    """Two participating parties, majority = 2: one counting witness is not enough, and the
    placeholder for BB's group can never cosign."""
    give_own_key(forum, "AA")
    name = register_own(forum, "AA")
    found = current_witnesses()
    assert found.policy is not None
    assert f"group {QUORUM_GROUP} 2 party+AA party+BB" in found.policy_text
    assert f"witness missing+BB {placeholder_key('BB')}" in found.policy_text
    witnessing = found.policy.check(cosigned([name]))
    assert witnessing.witnesses == [name]
    assert not witnessing.met


# -- what counts --------------------------------------------------------------------------------


def test_own_key_registrations_of_a_majority_meet_the_policy_with_real_cosignatures(
    forum: ForumWorld,
) -> None:
    for party in ("AA", "BB"):
        give_own_key(forum, party)
        register_own(forum, party)
    found = current_witnesses()
    assert [one.counts for one in found.endpoints] == [True, True]
    assert found.timeout_seconds == 5.0
    assert found.policy is not None
    assert Policy.parse(found.policy_text).format() == found.policy_text
    both = found.policy.check(cosigned(["aa.example/witness", "bb.example/witness"]))
    assert both.met
    assert not found.policy.check(cosigned(["aa.example/witness"])).met


def test_removing_a_witness_takes_it_out_of_the_policy(forum: ForumWorld) -> None:
    give_own_key(forum, "AA")
    name = register_own(forum, "AA")
    signed_own(forum, "AA", "ledger.witness.removed", {"name": name})
    assert current_witnesses().endpoints == ()
    assert current_witnesses().policy is None


def test_no_registration_means_no_policy(forum: ForumWorld) -> None:
    found = current_witnesses()
    assert (found.endpoints, found.policy, found.policy_text) == ((), None, "")


# -- the rule and its thresholds ----------------------------------------------------------------


PARTIES = ["AA", "BB", "CC", "DD", "EE"]


def _witnesses(parties: list[str]) -> list[CountingWitness]:
    return [
        CountingWitness(code, f"{code.lower()}.w", Cosigner(witness_skey(f"{code.lower()}.w")).vkey)
        for code in parties
    ]


@pytest.mark.parametrize(
    ("quorum", "enough", "too_few"),
    [("majority", 3, 2), ("all", 5, 4), (2, 2, 1), (5, 5, 4)],
)
def test_the_threshold_is_the_rule_applied_to_the_participating_parties(
    quorum: Any, enough: int, too_few: int
) -> None:
    text = derive_policy(LOG.vkey, PARTIES, _witnesses(PARTIES), WitnessRules(quorum=quorum))
    policy = Policy.parse(text)
    names = [f"{code.lower()}.w" for code in PARTIES]
    assert policy.witnessed(names[:enough])
    assert not policy.witnessed(names[:too_few])


def test_a_party_without_a_witness_still_counts_in_the_denominator() -> None:
    """Five parties, majority 3, only two witnesses: met by nobody."""
    text = derive_policy(LOG.vkey, PARTIES, _witnesses(PARTIES[:2]), WitnessRules())
    policy = Policy.parse(text)
    assert f"group {QUORUM_GROUP} 3 " in text
    assert not policy.witnessed(["aa.w", "bb.w", "cc.w"])


def test_a_threshold_beyond_the_parties_is_published_and_never_met() -> None:
    text = derive_policy(LOG.vkey, PARTIES[:2], _witnesses(PARTIES[:2]), WitnessRules(quorum=4))
    policy = Policy.parse(text)
    assert "group absent+2 any missing+absent-2" in text
    assert not policy.witnessed(["aa.w", "bb.w"])


def test_a_witness_of_a_party_not_listed_is_left_out() -> None:
    text = derive_policy(LOG.vkey, ["AA"], _witnesses(["AA", "ZZ"]), WitnessRules(quorum=1))
    assert "zz.w" not in text
    assert Policy.parse(text).witnessed(["aa.w"])


def test_the_placeholder_is_a_key_that_loads_and_is_the_same_every_time() -> None:
    key = placeholder_key("KZ")
    assert key == placeholder_key("KZ") != placeholder_key("HU")
    assert Policy.parse(f"log {LOG.vkey}\nwitness w {key}\nquorum w\n").witnesses[0].vkey == key


def test_the_rules_reject_a_quorum_that_is_not_a_rule() -> None:
    with pytest.raises(ValueError, match="quorum"):
        WitnessRules.model_validate({"quorum": "most"})
    with pytest.raises(ValueError, match="quorum"):
        WitnessRules.model_validate({"quorum": 0})


# -- the rules profile ---------------------------------------------------------------------------


def test_a_new_forum_writes_the_default_section_and_an_amendment_changes_it(
    forum: ForumWorld,
) -> None:
    assert witness_rules() == WitnessRules()
    changed = standard(version=2).model_dump(mode="json")
    changed["sections"]["witnesses"] = {"quorum": "all", "timeout_seconds": 2}
    proposal = forum.act(lambda: actions.propose_profile(AA_HEAD, changed)).index
    forum.act(lambda: actions.agree_profile(AA_HEAD, proposal))
    forum.act(lambda: actions.agree_profile(BB_HEAD, proposal))
    forum.act(lambda: actions.adopt_profile(AA_HEAD, proposal))
    assert witness_rules() == WitnessRules(quorum="all", timeout_seconds=2)


def test_a_profile_with_a_malformed_witnesses_section_is_refused(forum: ForumWorld) -> None:
    changed = standard(version=2).model_dump(mode="json")
    changed["sections"]["witnesses"] = {"quorum": "most"}
    forum.refused("bad_body", lambda: actions.propose_profile(AA_HEAD, changed))


# -- replay and pages ---------------------------------------------------------------------------


def test_replay_compare_reproduces_the_registrations(forum: ForumWorld) -> None:
    give_own_key(forum, "AA")
    name = register_own(forum, "AA")
    forum.act(lambda: register_witness(BB_HEAD, **body_for("BB", "bb.host/witness", "http://b")))
    signed_own(forum, "AA", "ledger.witness.removed", {"name": name})
    register_own(forum, "AA")
    assert replay().full_digest == digest(full=True)
    result = CliRunner().invoke(app, ["replay", "--compare"])
    assert result.exit_code == 0, result.output


def test_the_page_says_which_registration_counts_and_why_not(forum: ForumWorld) -> None:
    give_own_key(forum, "AA")
    register_own(forum, "AA")
    forum.act(lambda: register_witness(BB_HEAD, **body_for("BB", "bb.host/witness", "http://b")))
    page = Client().get("/witnesses").content.decode()
    assert "aa.example/witness" in page
    assert "bb.host/witness" in page
    assert "signed with a key the host keeps for the party" in page
    assert "quorum quorum+parties" in page


def test_the_russian_page_has_no_english(forum: ForumWorld) -> None:
    give_own_key(forum, "AA")
    register_own(forum, "AA", attested=False)
    forum.act(lambda: register_witness(BB_HEAD, **body_for("BB", "bb.host/witness", "http://b")))
    page = Client(headers={"accept-language": "ru"}).get("/witnesses").content.decode()
    for english in (
        "Witnesses of the log",
        "Counts toward the policy",
        "signed with a key",
        "did not sign",
        "Nothing cosigned yet",
        "Witness policy",
        "Key algorithms",
    ):
        assert english not in page
    assert "Свидетели журнала" in page
    assert "Собственный ключ свидетеля не подписал" in page


def test_the_page_shows_how_a_witness_keeps_up_from_the_hosts_dealings(
    forum: ForumWorld,
) -> None:
    give_own_key(forum, "AA")
    name = register_own(forum, "AA")
    row = RegisteredWitness.objects.get(name=name)
    size = LogState.objects.get().size
    WitnessContact.objects.create(
        vkey=row.keys[0],
        name=name,
        url=row.url,
        cosigned_size=size - 2,
        cosigned_at="2025-02-01T10:00:00.000000Z",
        failing_since="2025-02-01T11:00:00.000000Z",
        last_error="connection refused",
    )
    page = Client().get("/witnesses").content.decode()
    assert f"{size - 2} entries" in page
    assert "2 entries behind" in page
    assert "Failing since" in page


def test_a_head_is_offered_the_forms_and_a_visitor_is_not(forum: ForumWorld) -> None:
    assert "witness-register-form" not in Client().get("/witnesses").content.decode()
    head = signed_in("aa.head")
    page = head.get("/witnesses").content.decode()
    assert 'action="/witnesses/register"' in page
    assert 'action="/witnesses/remove"' in page
    posted = head.post(
        "/witnesses/register",
        {
            "name": "aa.page/witness",
            "vkeys": Cosigner(witness_skey("aa.page/witness")).vkey,
            "url": "https://w.aa.example",
        },
    )
    assert posted.status_code == 200, posted.content.decode()
    row = RegisteredWitness.objects.get(name="aa.page/witness")
    assert (row.party, row.own_custody, row.counts) == ("AA", False, False)
    refused = head.post("/witnesses/remove", {"name": "nobody.example/witness"})
    assert refused.status_code == 422
    assert "No witness is registered under this name." in refused.content.decode()
