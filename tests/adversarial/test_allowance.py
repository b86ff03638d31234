"""Allowances: junk cannot fill the database, and nobody can spend another party's rate.

Unverified input is counted per client address before it is read; a party's
own statements are counted against the party only once their signature,
key and sequence number hold. Time is the injectable clock, so a test waits
for a ``Retry-After`` by moving it, not by sleeping.
"""

import json
from datetime import UTC, datetime, timedelta

from django.test import Client, RequestFactory
from pytest_django.fixtures import Settings as SettingsWrapper

from accord.ledger.allowance import Allowance, client_address
from accord.ledger.models import Entry, Refusal
from accord.lib import clock
from tests.ledger.world import A_KEY, C_KEY, World


class Frozen:
    """A clock that moves only when told to, as a client honouring Retry-After sees it."""

    def __init__(self) -> None:
        self.moment = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment


def _post(client: Client, body: bytes, address: str = "203.0.113.5", **headers: str) -> object:
    return client.post(
        "/api/v1/statements",
        body,
        content_type="application/json",
        REMOTE_ADDR=address,
        headers=headers,
    )


def _statement(world: World, seq: int, signer: object = A_KEY, actor: str = "AA") -> bytes:
    body = {"title": "Notification", "text": f"Number {seq}."}
    return json.dumps(world.signed(signer, body, seq=seq, actor=actor).to_json()).encode()  # type: ignore[arg-type]


def test_300_junk_2_mb_posts_write_no_row_and_later_ones_are_answered_429(
    client: Client, world: World, settings: SettingsWrapper
) -> None:
    settings.ACCORD_ADDRESS_BURST = 20
    junk = b'{"junk": "' + b"x" * 2_000_000 + b'"}'
    refusals, entries = Refusal.objects.count(), Entry.objects.count()
    with clock.simulated(Frozen()):
        statuses = [_post(client, junk).status_code for _ in range(300)]  # type: ignore[attr-defined]
        last = _post(client, junk)
        # Another address is not held back by this one's junk.
        elsewhere = _post(client, _statement(world, 1), address="198.51.100.7")
    assert statuses[:20] == [400] * 20
    assert set(statuses[20:]) == {429}
    assert int(last["Retry-After"]) >= 1  # type: ignore[index]
    assert "wait" in last.json()["detail"]  # type: ignore[attr-defined]
    assert elsewhere.status_code == 201  # type: ignore[attr-defined]
    assert Refusal.objects.count() == refusals
    assert Entry.objects.count() == entries + 1
    assert Allowance.objects.count() == 2  # the junk's address, and party AA


def test_a_forwarded_for_header_is_believed_only_from_a_trusted_proxy(
    client: Client, world: World, settings: SettingsWrapper
) -> None:
    settings.ACCORD_ADDRESS_BURST = 3
    with clock.simulated(Frozen()):
        spoofed = [
            _post(client, b"junk", X_Forwarded_For=f"192.0.2.{n}").status_code  # type: ignore[attr-defined]
            for n in range(10)
        ]
        settings.ACCORD_TRUSTED_PROXIES = ["10.0.0.0/8"]
        proxied = [
            _post(
                client, b"junk", address="10.0.0.2", X_Forwarded_For=f"192.0.2.{n}, 10.0.0.9"
            ).status_code  # type: ignore[attr-defined]
            for n in range(10)
        ]
    assert spoofed == [400] * 3 + [429] * 7
    assert proxied == [400] * 10


def test_the_client_address_is_the_first_untrusted_hop_from_the_right(
    settings: SettingsWrapper,
) -> None:
    factory = RequestFactory()
    settings.ACCORD_TRUSTED_PROXIES = ["10.0.0.1", "fd00::/8"]
    through = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.1")
    assert client_address(through) == "192.0.2.1"
    direct = factory.get("/", REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert client_address(direct) == "192.0.2.9"
    v6 = factory.get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")
    assert client_address(v6) == "2001:db8:1:2::/64"
    garbage = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not an address")
    assert client_address(garbage) == "10.0.0.1"


def test_nobody_can_spend_a_party_s_allowance_with_its_old_or_forged_statements(
    client: Client, world: World, settings: SettingsWrapper
) -> None:
    settings.ACCORD_PARTY_BURST = 5
    settings.ACCORD_PARTY_PER_MINUTE = 1
    settings.ACCORD_ADDRESS_BURST = 1_000
    with clock.simulated(Frozen()):
        assert _post(client, _statement(world, 1)).status_code == 201  # type: ignore[attr-defined]
        replayed = _statement(world, 1)
        forged = _statement(world, 2, signer=C_KEY)  # C's key, A's name
        for n in range(20):
            _post(client, replayed, address=f"192.0.2.{n}")
            _post(client, forged, address=f"198.51.100.{n}")
        statuses = [
            _post(client, _statement(world, seq)).status_code  # type: ignore[attr-defined]
            for seq in range(2, 6)
        ]
    assert statuses == [201] * 4


def test_1000_signed_statements_of_one_party_are_all_accepted_honouring_429(
    client: Client, world: World, settings: SettingsWrapper
) -> None:
    settings.ACCORD_PARTY_BURST = 100
    settings.ACCORD_PARTY_PER_MINUTE = 600
    frozen = Frozen()
    accepted, waits = 0, 0
    with clock.simulated(frozen):
        for seq in range(1, 1001):
            response = _post(client, _statement(world, seq))
            if response.status_code == 429:  # type: ignore[attr-defined]
                waits += 1
                frozen.moment += timedelta(seconds=int(response["Retry-After"]))  # type: ignore[index]
                response = _post(client, _statement(world, seq))
            assert response.status_code == 201, response.content  # type: ignore[attr-defined]
            accepted += 1
    assert accepted == 1000
    assert 0 < waits <= 900
    assert Entry.objects.filter(actor="AA").count() == 1000


def test_junk_from_many_addresses_does_not_grow_the_allowance_table_without_bound(
    client: Client, world: World, settings: SettingsWrapper
) -> None:
    settings.ACCORD_ADDRESS_BURST = 2
    settings.ACCORD_ADDRESS_PER_MINUTE = 2
    frozen = Frozen()
    with clock.simulated(frozen):
        for n in range(40):
            _post(client, b"junk", address=f"192.0.2.{n}")
        assert Allowance.objects.count() == 40
        frozen.moment += timedelta(minutes=2)
        _post(client, b"junk", address="198.51.100.1")
    # Rows idle long enough to be full again say nothing a missing row does not: they go.
    assert Allowance.objects.count() == 1
