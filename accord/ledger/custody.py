"""Key custody: where the private half of a signing key lives.

*Hosted* keys are kept by the host so delegates can act from a browser: each is
sealed with AES-256-GCM under a key-encryption key (KEK) that is not in the
database and not derived from Django's ``SECRET_KEY``; the party code and the
verifier key are bound in as associated data, so a sealed key cannot be moved
to another party's row. A stolen database alone reveals no key. *Own* keys
never reach the host: the party's tools sign and the host only verifies.

The KEK comes from ``ACCORD_KEK`` (or ``ACCORD_KEK_FILE``) as
``<version>:<base64 32 bytes>``, several separated by commas, the first being
current; older ones only unseal. ``HostedKeys.rewrap()`` re-seals every key
under the current version, after which the old one can be dropped. With no
KEK set, one is made once in ``ACCORD_VAR_DIR/kek`` (mode 0600), next to but
not inside the database, and the first start says so; only the production
server (``accord web``) refuses to start without one given.
"""

import base64
import binascii
import os
from pathlib import Path
from typing import Protocol, runtime_checkable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from accord.ledger.models import HostedKey
from accord.lib.env import env_secret, generated_secret
from accord.tlog import note


@runtime_checkable
class KeyCustody(Protocol):
    """Keeps signing keys and hands out signers; the host's side of key custody."""

    def hold(self, owner: str, skey: str) -> str:
        """Keep ``skey`` for ``owner``; returns its verifier key."""
        ...

    def signer(self, vkey: str) -> note.Signer:
        """The signer for a held key; LookupError if this custody does not hold it."""
        ...

    def holds(self, owner: str, vkey: str) -> bool:
        """Whether this custody keeps ``vkey`` for ``owner`` (not for anyone else)."""
        ...


def _parse_keks(text: str) -> list[tuple[str, bytes]]:
    keks = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        version, _, encoded = item.partition(":")
        try:
            key = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            key = b""
        if not version or len(key) != 32:
            raise ImproperlyConfigured(
                "ACCORD_KEK must be '<version>:<base64 of 32 random bytes>'[,...], e.g. v1:…"
            )
        keks.append((version, key))
    return keks


def _development_kek() -> str:
    """The KEK made once in VAR_DIR/kek; back it up with the database, or hosted keys are lost."""
    return generated_secret(
        Path(settings.VAR_DIR) / "kek",
        lambda: "dev1:" + base64.b64encode(os.urandom(32)).decode(),
        "ACCORD_KEK",
    )


def configured_keks() -> list[tuple[str, bytes]]:
    """The KEKs in force, current first: ACCORD_KEK, else the one made under VAR_DIR."""
    return _parse_keks(env_secret("ACCORD_KEK") or _development_kek())


class HostedKeys:
    """KeyCustody in the database, sealed under the KEK."""

    def __init__(self, keks: list[tuple[str, bytes]] | None = None) -> None:
        self._keks = keks if keks is not None else configured_keks()

    @staticmethod
    def _aad(owner: str, vkey: str) -> bytes:
        return f"accord-hosted-key/v1\n{owner}\n{vkey}\n".encode()

    def hold(self, owner: str, skey: str) -> str:
        vkey = note.Signer(skey).vkey
        version, kek = self._keks[0]
        nonce = os.urandom(12)
        sealed = AESGCM(kek).encrypt(nonce, skey.encode(), self._aad(owner, vkey))
        HostedKey.objects.create(
            vkey=vkey, owner=owner, kek_version=version, nonce=nonce, sealed=sealed
        )
        return vkey

    def holds(self, owner: str, vkey: str) -> bool:
        """One indexed read, no unsealing: the owner is bound into the sealed key as associated
        data, so a row moved to another owner would not open in ``signer``."""
        return HostedKey.objects.filter(vkey=vkey, owner=owner).exists()

    def signer(self, vkey: str) -> note.Signer:
        row = HostedKey.objects.filter(vkey=vkey).first()
        if row is None:
            raise LookupError(f"the host does not hold the key {vkey}")
        return note.Signer(self._unseal(row))

    def _unseal(self, row: HostedKey) -> str:
        keks = dict(self._keks)
        if row.kek_version not in keks:
            raise ImproperlyConfigured(
                f"hosted key {row.vkey} is sealed under KEK {row.kek_version!r},"
                " which is not configured"
            )
        try:
            plain = AESGCM(keks[row.kek_version]).decrypt(
                bytes(row.nonce), bytes(row.sealed), self._aad(row.owner, row.vkey)
            )
        except InvalidTag:
            raise ImproperlyConfigured(
                f"hosted key {row.vkey} does not open under KEK {row.kek_version!r}:"
                " wrong KEK or altered row"
            ) from None
        return plain.decode()

    def rewrap(self) -> int:
        """Re-seal every key not under the current KEK; returns how many were re-sealed."""
        version, kek = self._keks[0]
        count = 0
        for row in HostedKey.objects.exclude(kek_version=version):
            skey = self._unseal(row)
            row.nonce = os.urandom(12)
            row.sealed = AESGCM(kek).encrypt(
                row.nonce, skey.encode(), self._aad(row.owner, row.vkey)
            )
            row.kek_version = version
            row.save(update_fields=["nonce", "sealed", "kek_version"])
            count += 1
        return count
