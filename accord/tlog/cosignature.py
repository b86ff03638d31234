"""Witness cosignatures (c2sp.org/tlog-cosignature, Ed25519 ``cosignature/v1``, type 0x04).

A cosignature says "as of ``time``, this is the largest consistent tree I have
seen for this origin". The signed message is::

    cosignature/v1\\n
    time <POSIX seconds>\\n
    <the whole checkpoint text, extension lines included>

and the signature bytes after the key ID are the 8-byte big-endian time and
the 64-byte Ed25519 signature. Verifier keys carry type 0x04, so their key ID
differs from the same key's 0x01 ID. Signer keys use the ordinary Ed25519 note
encoding (type 0x01), as transparency-dev/formats reads them, so one witness key
file works with Go tools and with ours.
"""

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from accord.tlog import note
from accord.tlog._encoding import MAX_UINT63
from accord.tlog.checkpoint import Checkpoint
from accord.tlog.errors import FormatError

COSIGNATURE_V1 = 0x04
"""Signature type of an Ed25519 cosignature/v1."""

_SIGNATURE_SIZE = 8 + 64


def _message(checkpoint_text: bytes, timestamp: int) -> bytes:
    return b"cosignature/v1\ntime %d\n" % timestamp + checkpoint_text


def generate_key(name: str) -> tuple[str, str]:
    """A new witness key pair as (signer key, cosignature verifier key)."""
    skey, _ = note.generate_key(name)
    return skey, Cosigner(skey).vkey


class Cosigner:
    """A witness key that cosigns checkpoints."""

    def __init__(self, skey: str) -> None:
        self.name, _, seed = note.parse_skey(skey)
        self._private = Ed25519PrivateKey.from_private_bytes(seed)
        public = self._private.public_key().public_bytes_raw()
        self._typed_public = bytes([COSIGNATURE_V1]) + public
        self.key_id = note.key_id(self.name, self._typed_public)

    @property
    def vkey(self) -> str:
        return note.format_vkey(self.name, self._typed_public)

    def cosign(self, checkpoint_text: str, timestamp: int) -> str:
        """The signature line (with its final newline) cosigning ``checkpoint_text``."""
        Checkpoint.parse(checkpoint_text)
        if not 0 <= timestamp <= MAX_UINT63:
            raise FormatError(f"timestamp: expected 0..{MAX_UINT63} seconds, found {timestamp}")
        message = _message(checkpoint_text.encode("utf-8"), timestamp)
        signature = timestamp.to_bytes(8, "big") + self._private.sign(message)
        return note.Signature(self.name, self.key_id, signature).line()


class CosignatureVerifier:
    """Checks cosignature/v1 lines; pass it to ``note.open`` beside the log's key.

    Verified cosignatures come back from ``note.open`` with their ``timestamp``.
    """

    def __init__(self, vkey: str) -> None:
        self.name, self.key_id, public = note.parse_vkey(vkey, COSIGNATURE_V1, 32)
        self.vkey = vkey
        self._public = Ed25519PublicKey.from_public_bytes(public)

    def verify(self, message: bytes, signature: bytes) -> bool:
        if len(signature) != _SIGNATURE_SIZE:
            return False
        timestamp = self.timestamp(signature)
        if timestamp > MAX_UINT63:
            return False
        try:
            self._public.verify(signature[8:], _message(message, timestamp))
        except InvalidSignature:
            return False
        return True

    def timestamp(self, signature: bytes) -> int:
        """The time (POSIX seconds) a cosignature claims."""
        return int.from_bytes(signature[:8], "big")
