"""TOTP secrets sealed at rest under the KEK, as hosted signing keys are (ledger/custody.py).

django-otp keeps an authenticator's secret as hex in ``TOTPDevice.key``, so a copy of
the database would let anyone compute a head's codes. Here that column holds
``<KEK version>$<base64url(nonce ‖ AES-256-GCM ciphertext)>`` instead, with the
account's id bound in as associated data, so a sealed secret copied to another
account's row does not open. ``Authenticator`` (a proxy of ``TOTPDevice``) opens it
whenever django-otp asks for ``bin_key``: one AES-GCM operation per code checked.
``accord log rewrap`` re-seals every secret under the current KEK.
"""

import base64
import binascii
import os
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ImproperlyConfigured
from django_otp.plugins.otp_totp.models import TOTPDevice

from accord.ledger.custody import configured_keks

if TYPE_CHECKING:
    from django.db.models import QuerySet

KEY_BYTES = 20
"""django-otp's default secret length (160 bits, RFC 4226's recommendation)."""
_COLUMN = 80
_SEALED = 4 * (12 + KEY_BYTES + 16) // 3  # base64 of nonce, ciphertext and tag: 64 characters
SEPARATOR = "$"
"""Never in hex, so a sealed secret is told from a clear one by it alone."""


class SealingError(ImproperlyConfigured):
    """An authenticator's secret cannot be sealed or opened with the KEKs configured."""


def _aad(user_id: int) -> bytes:
    return f"accord-totp-key/v1\n{user_id}\n".encode()


def seal(user_id: int, key: bytes, keks: list[tuple[str, bytes]] | None = None) -> str:
    """The column text for ``key`` sealed under the current KEK, bound to ``user_id``."""
    version, kek = (keks or configured_keks())[0]
    if len(version) + 1 + _SEALED > _COLUMN or SEPARATOR in version:
        raise SealingError(
            f"KEK version {version!r} is too long to seal authenticator secrets: "
            f"use at most {_COLUMN - 1 - _SEALED} characters without '$', e.g. v2"
        )
    nonce = os.urandom(12)
    sealed = AESGCM(kek).encrypt(nonce, key, _aad(user_id))
    return version + SEPARATOR + base64.urlsafe_b64encode(nonce + sealed).decode()


def open_key(user_id: int, stored: str, keks: list[tuple[str, bytes]] | None = None) -> bytes:
    """The secret sealed in ``stored`` for ``user_id``; SealingError says why it will not open."""
    version, separator, text = stored.partition(SEPARATOR)
    if not separator:
        raise SealingError(
            "an authenticator's secret is stored in the clear: run the migrations, which seal it"
        )
    known = dict(keks or configured_keks())
    if version not in known:
        raise SealingError(
            f"an authenticator is sealed under KEK {version!r}, which is not configured"
        )
    try:
        raw = base64.urlsafe_b64decode(text)
        return AESGCM(known[version]).decrypt(raw[:12], raw[12:], _aad(user_id))
    except (InvalidTag, binascii.Error, ValueError):
        raise SealingError(
            f"an authenticator's secret does not open under KEK {version!r} for this account:"
            " wrong KEK or a row copied from another account"
        ) from None


class Authenticator(TOTPDevice):  # type: ignore[misc]  # django-otp ships no types
    """A TOTP device whose secret is sealed; django-otp computes codes from ``bin_key``."""

    class Meta:
        proxy = True

    @property
    def bin_key(self) -> bytes:
        return open_key(int(self.user_id), str(self.key))


def enrol(user: AbstractBaseUser, *, confirmed: bool = False) -> Authenticator:
    """A new authenticator for ``user`` with a fresh sealed secret; one insert."""
    key = seal(int(user.pk), os.urandom(KEY_BYTES))
    device: Authenticator = Authenticator.objects.create(
        user=user, name="authenticator", confirmed=confirmed, key=key
    )
    return device


def rewrap(devices: "QuerySet[Any]", keks: list[tuple[str, bytes]] | None = None) -> int:
    """Re-seal every secret not under the current KEK; returns how many. One update each."""
    keks = keks or configured_keks()
    current = keks[0][0] + SEPARATOR
    count = 0
    for device in devices.exclude(key__startswith=current):
        key = open_key(device.user_id, device.key, keks)
        devices.filter(pk=device.pk).update(key=seal(device.user_id, key, keks))
        count += 1
    return count


def seal_clear_keys(devices: "QuerySet[Any]") -> int:
    """Seal every secret still stored as django-otp's hex; returns how many. For the migration
    (which passes its historical model's rows) and for devices made outside ``enrol``."""
    clear = [device for device in devices.all() if SEPARATOR not in device.key]
    if not clear:
        return 0  # no KEK is needed to migrate a database without authenticators
    keks = configured_keks()
    for device in clear:
        key = binascii.unhexlify(device.key)
        devices.filter(pk=device.pk).update(key=seal(device.user_id, key, keks))
    return len(clear)
