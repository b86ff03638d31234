"""The read path of restricted bodies on a bare ledger: rules per kind, copies checked.

The ledger world founds no forum, so no party participates in one: only the
actor (AA) and the secretariat read, unless a kind's rule says otherwise.
"""

import base64

import pytest
from django.test import Client

from accord.ledger import blobs, disclosure, registry
from accord.ledger.envelope import Statement
from accord.ledger.models import RestrictedBody
from accord.ledger.registry import Reader
from accord.ledger.restricted import commitment_of
from accord.ledger.wire import Submission
from accord.lib import canonical
from tests.ledger.world import A_KEY, World

KIND = "ledger.communique.published"


@pytest.fixture
def entry(world: World) -> int:
    return world.submit(world.restricted(seq=1, text="Exercise of 9,000 troops.")).index


def test_without_a_forum_only_the_actor_and_the_secretariat_read(entry: int) -> None:
    assert disclosure.copy_for(entry, "AA").body == {
        "title": "Notification",
        "text": "Exercise of 9,000 troops.",
    }
    assert disclosure.copy_for(entry, "secretariat").matches
    with pytest.raises(disclosure.NotEntitled, match="BB is not among the parties entitled"):
        disclosure.copy_for(entry, "BB")


def test_with_no_default_rule_registered_the_actor_and_secretariat_still_read(
    entry: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry, "_DEFAULT_READ_RULE", [])
    assert registry.read_rule_for(KIND) is None
    assert disclosure.copy_for(entry, "AA").matches
    with pytest.raises(disclosure.NotEntitled):
        disclosure.copy_for(entry, "CC")


def test_a_kinds_own_rule_decides_instead_of_the_default(
    entry: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, str]] = []

    def only_c(statement: Statement, party: str) -> bool:
        asked.append((statement.actor, party))
        return party == "CC"

    monkeypatch.setitem(registry.READ_RULES, KIND, only_c)
    assert disclosure.copy_for(entry, "CC").matches
    with pytest.raises(disclosure.NotEntitled):
        disclosure.copy_for(entry, "BB")
    assert asked == [("AA", "CC"), ("AA", "BB")]


def test_a_read_rule_is_registered_once_per_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "READ_RULES", {})
    registry.read_rule("csbm.notification.bilateral")(lambda _statement, _party: True)
    with pytest.raises(RuntimeError, match="registered twice"):
        registry.read_rule("csbm.notification.bilateral")(lambda _statement, _party: True)


def test_a_person_accredited_nowhere_reads_nothing_even_for_the_actor(entry: int) -> None:
    with pytest.raises(disclosure.NotEntitled, match="aa.x is not accredited"):
        disclosure.copy_for(entry, Reader("aa.x", None))
    assert disclosure.copy_for(entry, Reader("aa.head", "AA")).matches


def test_public_and_missing_entries_have_no_restricted_body(world: World, entry: int) -> None:
    public = world.submit(world.communique(seq=2)).index
    with pytest.raises(disclosure.NotRestricted, match="is public"):
        disclosure.copy_for(public, "AA")
    with pytest.raises(disclosure.NotRestricted, match="no entry 99"):
        disclosure.copy_for(99, "AA")


def test_a_body_the_host_does_not_hold_is_said_so(entry: int) -> None:
    RestrictedBody.objects.all().delete()
    with pytest.raises(disclosure.NotHeld, match="does not hold"):
        disclosure.copy_for(entry, "AA")


@pytest.mark.parametrize(
    "damage",
    [
        lambda row: setattr(row, "salt", base64.b64encode(b"other salt").decode()),
        lambda row: setattr(row, "body", bytes(row.body).replace(b"9,000", b"900")),
        lambda row: setattr(row, "body", b"not json"),
        lambda row: setattr(row, "body", b"[1, 2]"),
    ],
    ids=["salt", "text", "not-json", "not-an-object"],
)
def test_an_altered_stored_copy_does_not_match_its_commitment(entry: int, damage: object) -> None:
    row = RestrictedBody.objects.get()
    damage(row)  # type: ignore[operator]
    row.save()
    assert not disclosure.copy_for(entry, "AA").matches


def test_a_commitment_signed_inside_a_blob_is_found_and_checked(world: World) -> None:
    salt, body = "c2FsdA==", {"title": "Notification", "text": "Large."}
    shown = canonical.dumps({"commitment": commitment_of(salt, body)})
    signed = world.signed(A_KEY, blobs.reference(shown), seq=1, distribution="restricted")
    index = world.submit(Submission(signed, shown, salt, body)).index
    copy = disclosure.copy_for(index, "secretariat")
    assert copy.matches
    assert copy.body == body


def test_the_explorer_shows_a_bare_ledgers_restricted_entry_only_as_its_commitment(
    entry: int, client: Client
) -> None:
    page = client.get(f"/explorer/{entry}").content.decode()
    assert "9,000 troops" not in page
    assert RestrictedBody.objects.get().commitment in page
