"""Hosted keys: sealed under the KEK, useless without it, re-sealed when the KEK rotates."""

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured

from accord.ledger.custody import HostedKeys, KeyCustody
from accord.ledger.models import HostedKey
from accord.tlog import note

KEK_1 = ("v1", b"1" * 32)
KEK_2 = ("v2", b"2" * 32)


@pytest.mark.django_db
def test_hosted_keys_satisfy_the_custody_protocol() -> None:
    assert isinstance(HostedKeys([KEK_1]), KeyCustody)


@pytest.mark.django_db
def test_a_stolen_database_reveals_no_key() -> None:
    skey, vkey = note.generate_key("bb.example")
    assert HostedKeys([KEK_1]).hold("BB", skey) == vkey
    row = HostedKey.objects.get(vkey=vkey)
    seed = note.parse_skey(skey)[2]
    assert len(seed) == 32
    assert seed not in bytes(row.sealed)
    assert skey.encode() not in bytes(row.sealed)
    with pytest.raises(ImproperlyConfigured, match="does not open under KEK 'v1'"):
        HostedKeys([("v1", b"x" * 32)]).signer(vkey)


@pytest.mark.django_db
def test_a_sealed_key_cannot_be_moved_to_another_party() -> None:
    skey, vkey = note.generate_key("bb.example")
    HostedKeys([KEK_1]).hold("BB", skey)
    HostedKey.objects.filter(vkey=vkey).update(owner="AA")
    with pytest.raises(ImproperlyConfigured, match="wrong KEK or altered row"):
        HostedKeys([KEK_1]).signer(vkey)


@pytest.mark.django_db
def test_rotating_the_kek_reseals_every_key() -> None:
    skey, vkey = note.generate_key("bb.example")
    HostedKeys([KEK_1]).hold("BB", skey)
    assert HostedKeys([KEK_2, KEK_1]).rewrap() == 1
    assert HostedKey.objects.get(vkey=vkey).kek_version == "v2"
    assert HostedKeys([KEK_2]).signer(vkey).vkey == vkey
    with pytest.raises(ImproperlyConfigured, match="not configured"):
        HostedKeys([KEK_1]).signer(vkey)
    assert HostedKeys([KEK_2]).rewrap() == 0


@pytest.mark.django_db
def test_a_held_key_is_held_only_for_its_owner() -> None:
    skey, vkey = note.generate_key("bb.example")
    keys = HostedKeys([KEK_1])
    keys.hold("BB", skey)
    assert keys.holds("BB", vkey)
    assert not keys.holds("AA", vkey)
    assert not keys.holds("BB", note.generate_key("bb.other")[1])


@pytest.mark.django_db
def test_an_unknown_key_is_a_lookup_error() -> None:
    with pytest.raises(LookupError, match="does not hold"):
        HostedKeys([KEK_1]).signer("nobody+00000000+AA==")


@pytest.mark.parametrize(
    "value", ["v1:short", "nocolon", ":" + base64.b64encode(b"k" * 32).decode()]
)
def test_a_malformed_kek_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("ACCORD_KEK", value)
    with pytest.raises(ImproperlyConfigured, match="ACCORD_KEK must be"):
        HostedKeys()


def test_with_debug_off_and_no_kek_given_one_is_made_not_refused(
    monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    # Only `accord web` refuses to start without ACCORD_KEK (tests/adversarial/test_defaults.py).
    monkeypatch.delenv("ACCORD_KEK")
    settings.DEBUG = False  # type: ignore[attr-defined]
    assert len(HostedKeys()._keks[0][1]) == 32


def test_development_makes_a_kek_file_once(
    monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    from pathlib import Path  # noqa: PLC0415

    monkeypatch.delenv("ACCORD_KEK")
    settings.DEBUG = True  # type: ignore[attr-defined]
    first = HostedKeys()._keks
    assert HostedKeys()._keks == first
    kek_file = Path(settings.VAR_DIR) / "kek"  # type: ignore[attr-defined]
    assert oct(kek_file.stat().st_mode & 0o777) == "0o600"
