"""Witness cosignatures (c2sp.org/tlog-cosignature): Ed25519 (type 0x04) and ML-DSA-44 (0x06).

A cosignature says "as of ``time``, this is the largest consistent tree I have
seen for this origin". Its signature bytes after the key ID are the 8-byte
big-endian time and the signature. The two kinds sign different messages:

- Ed25519 ``cosignature/v1`` signs ``cosignature/v1\\n``, ``time <seconds>\\n``
  and the whole checkpoint text, extension lines included (64-byte signature).
- ML-DSA-44 signs the binary ``cosigned_message`` of the current spec::

      "subtree/v1\\n\\0" || u8 len || cosigner name || u64 timestamp ||
      u8 len || log origin || u64 start || u64 end || root hash (32 bytes)

  with ``start = 0`` and ``end = size`` for a checkpoint, so extension lines are
  not signed and the cosigner's name is (2420-byte FIPS 204 signature, empty
  context). A subtree with ``start != 0`` must carry timestamp 0.

Verifier keys are vkeys of type 0x04 (32-byte Ed25519 key) or 0x06 (1312-byte
ML-DSA-44 key). Public witness lists often give an Ed25519 witness key in the
plain note form (type 0x01); it is accepted and converted as transparency-dev/
formats does: the same name and public key, the key ID recomputed for 0x04.
Ed25519 signer keys use the ordinary note encoding (``PRIVATE+KEY+…`` of type
0x01), so one witness key file works with Go tools and with ours; ML-DSA-44
signer keys are written the same way with type 0x06 and the 32-byte seed.
"""

import struct

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA44PrivateKey, MLDSA44PublicKey

from accord.tlog import note
from accord.tlog._encoding import MAX_UINT63, b64decode, b64encode
from accord.tlog.checkpoint import Checkpoint
from accord.tlog.errors import FormatError, NoteError
from accord.tlog.merkle import HASH_SIZE

COSIGNATURE_V1 = 0x04
"""Signature type of an Ed25519 cosignature/v1."""

MLDSA44 = 0x06
"""Signature type of an ML-DSA-44 (sub)tree cosignature."""

MLDSA44_PUBLIC_KEY_SIZE = 1312
MLDSA44_SIGNATURE_SIZE = 2420
SUBTREE_LABEL = b"subtree/v1\n\x00"
"""The 12-byte label that opens every ML-DSA-44 cosigned message."""

_ED25519_SIZE = 8 + 64
_MLDSA_SIZE = 8 + MLDSA44_SIGNATURE_SIZE


def _message(checkpoint_text: bytes, timestamp: int) -> bytes:
    return b"cosignature/v1\ntime %d\n" % timestamp + checkpoint_text


def subtree_message(  # noqa: PLR0913 -- the spec's struct has these six fields
    cosigner: str, timestamp: int, origin: str, *, start: int, end: int, root: bytes
) -> bytes:
    """The ML-DSA-44 ``cosigned_message`` (TLS presentation syntax, big-endian).

    Raises FormatError when a field is out of the spec's range: a name or
    origin longer than 255 bytes or empty, a root that is not 32 bytes,
    ``start > end``, or a timestamp on a subtree that does not start at 0.
    """
    name_bytes, origin_bytes = cosigner.encode("utf-8"), origin.encode("utf-8")
    for value, what in ((name_bytes, "cosigner name"), (origin_bytes, "log origin")):
        if not 1 <= len(value) <= 255:
            raise FormatError(f"{what}: expected 1..255 bytes, found {len(value)}")
    if len(root) != HASH_SIZE:
        raise FormatError(f"subtree root: expected {HASH_SIZE} bytes, found {len(root)}")
    if not 0 <= start <= end <= MAX_UINT63 or not 0 <= timestamp <= MAX_UINT63:
        raise FormatError(
            f"subtree: expected 0 <= start <= end and a timestamp up to {MAX_UINT63},"
            f" found start {start}, end {end}, timestamp {timestamp}"
        )
    if start != 0 and timestamp != 0:
        raise FormatError(f"subtree: a subtree starting at {start} must have timestamp 0")
    return (
        SUBTREE_LABEL
        + bytes([len(name_bytes)])
        + name_bytes
        + struct.pack(">Q", timestamp)
        + bytes([len(origin_bytes)])
        + origin_bytes
        + struct.pack(">QQ", start, end)
        + root
    )


def cosignature_vkey(vkey: str) -> str:
    """A witness verifier key in its cosignature form.

    A plain Ed25519 note key (type 0x01) becomes the type-0x04 key with the same
    name and public key and its key ID recomputed, as transparency-dev/formats
    converts one; a type 0x04 or 0x06 key is returned as it is, once checked.
    """
    kind = key_type(vkey)
    if kind == note.ED25519:
        name, _, public = note.parse_vkey(vkey, note.ED25519, 32)
        return note.format_vkey(name, bytes([COSIGNATURE_V1]) + public)
    if kind == MLDSA44:
        note.parse_vkey(vkey, MLDSA44, MLDSA44_PUBLIC_KEY_SIZE)
    else:
        note.parse_vkey(vkey, COSIGNATURE_V1, 32)
    return vkey


def key_type(vkey: str) -> int:
    """The signature type byte of a vkey, or -1 when it has none to read."""
    parts = vkey.split("+", 2)  # base64 may hold '+': only the first two separate fields
    try:
        raw = b64decode(parts[-1], "verifier key") if len(parts) == 3 else b""
    except FormatError:
        raw = b""
    return raw[0] if raw else -1


def witness_verifier(vkey: str) -> "CosignatureVerifier | MLDSACosignatureVerifier":
    """The verifier for a witness key of any kind Accord accepts (0x01, 0x04 or 0x06)."""
    if key_type(vkey) == MLDSA44:
        return MLDSACosignatureVerifier(vkey)
    return CosignatureVerifier(vkey)


def generate_key(name: str) -> tuple[str, str]:
    """A new Ed25519 witness key pair as (signer key, cosignature verifier key)."""
    skey, _ = note.generate_key(name)
    return skey, Cosigner(skey).vkey


class Cosigner:
    """An Ed25519 witness key that cosigns checkpoints (cosignature/v1)."""

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
    """Checks Ed25519 cosignature/v1 lines; pass it to ``note.open`` beside the log's key.

    Takes a type-0x04 vkey, or a plain type-0x01 one converted by
    ``cosignature_vkey`` (``vkey`` is then the converted form). Verified
    cosignatures come back from ``note.open`` with their ``timestamp``.
    """

    algorithm = "Ed25519"

    def __init__(self, vkey: str) -> None:
        self.vkey = cosignature_vkey(vkey)
        self.name, self.key_id, public = note.parse_vkey(self.vkey, COSIGNATURE_V1, 32)
        self._public = Ed25519PublicKey.from_public_bytes(public)

    def verify(self, message: bytes, signature: bytes) -> bool:
        if len(signature) != _ED25519_SIZE:
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


def format_mldsa_skey(name: str, seed: bytes) -> str:
    """The ML-DSA-44 signer key string for a 32-byte ``seed`` (reproducible test keys)."""
    note.check_name(name)
    if len(seed) != 32:
        raise FormatError(f"seed: expected 32 bytes, found {len(seed)}")
    public = MLDSA44PrivateKey.from_seed_bytes(seed).public_key().public_bytes_raw()
    key_id = note.key_id(name, bytes([MLDSA44]) + public)
    return f"PRIVATE+KEY+{name}+{key_id:08x}+{b64encode(bytes([MLDSA44]) + seed)}"


def generate_mldsa_key(name: str) -> tuple[str, str]:
    """A new ML-DSA-44 witness key pair as (signer key, verifier key)."""
    skey = format_mldsa_skey(name, MLDSA44PrivateKey.generate().private_bytes_raw())
    return skey, MLDSACosigner(skey).vkey


class MLDSACosigner:
    """An ML-DSA-44 witness key that cosigns checkpoints (and subtrees).

    The signer key is ``PRIVATE+KEY+<name>+<key ID>+base64(0x06 || 32-byte seed)``,
    the key ID being the verifier key's. ML-DSA signing is randomised (FIPS 204
    hedged mode), so two cosignatures of one checkpoint differ; both verify.
    """

    algorithm = "ML-DSA-44"

    def __init__(self, skey: str) -> None:
        parts = skey.split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise FormatError("signer key: expected PRIVATE+KEY+name+keyid+key")
        self.name, id_hex, encoded = parts[2:]
        note.check_name(self.name)
        raw = b64decode(encoded, "signer key")
        if len(raw) != 33 or raw[0] != MLDSA44:
            raise FormatError(
                "signer key: expected type 0x06 and a 32-byte ML-DSA-44 seed,"
                f" found {len(raw)} bytes of type 0x{raw[:1].hex() or '??'}"
            )
        self._private = MLDSA44PrivateKey.from_seed_bytes(raw[1:])
        self._typed_public = bytes([MLDSA44]) + self._private.public_key().public_bytes_raw()
        self.key_id = note.key_id(self.name, self._typed_public)
        if id_hex != f"{self.key_id:08x}":
            raise FormatError(
                f"signer key: key ID {id_hex} does not match the key (expected {self.key_id:08x})"
            )

    @property
    def vkey(self) -> str:
        return note.format_vkey(self.name, self._typed_public)

    def cosign(self, checkpoint_text: str, timestamp: int) -> str:
        """The signature line (with its final newline) cosigning ``checkpoint_text``."""
        checkpoint = Checkpoint.parse(checkpoint_text)
        return self._line(timestamp, checkpoint.origin, 0, checkpoint.size, checkpoint.root)

    def cosign_subtree(self, origin: str, start: int, end: int, root: bytes) -> str:
        """The signature line for the subtree [start, end) of ``origin`` (timestamp 0)."""
        return self._line(0, origin, start, end, root)

    def _line(self, timestamp: int, origin: str, start: int, end: int, root: bytes) -> str:
        message = subtree_message(self.name, timestamp, origin, start=start, end=end, root=root)
        signature = timestamp.to_bytes(8, "big") + self._private.sign(message)
        return note.Signature(self.name, self.key_id, signature).line()


class MLDSACosignatureVerifier:
    """Checks ML-DSA-44 cosignature lines; pass it to ``note.open`` beside the log's key.

    ``verify`` reads origin, size and root from the note text it is given, so
    a note that is not a checkpoint never verifies. Costs one checkpoint parse
    and one ML-DSA-44 verification (about 0.1 ms).
    """

    algorithm = "ML-DSA-44"

    def __init__(self, vkey: str) -> None:
        self.name, self.key_id, public = note.parse_vkey(vkey, MLDSA44, MLDSA44_PUBLIC_KEY_SIZE)
        self.vkey = vkey
        # Every 1312-byte string decodes as an ML-DSA-44 key (FIPS 204 pkDecode).
        self._public = MLDSA44PublicKey.from_public_bytes(public)

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            checkpoint = Checkpoint.parse(message.decode("utf-8"))
        except (UnicodeDecodeError, FormatError):
            return False
        return self._verify(0, checkpoint.size, checkpoint.origin, checkpoint.root, signature)

    def verify_subtree(
        self, origin: str, start: int, end: int, root: bytes, signature_line: str
    ) -> bool:
        """Whether ``signature_line`` (``— name base64``) cosigns the subtree [start, end)."""
        line = signature_line.removesuffix("\n")
        if "\n" in line:
            raise NoteError("signature line: expected one line, found several")
        _, (signature,) = note.split("subtree\n\n" + line + "\n")
        if (signature.name, signature.key_id) != (self.name, self.key_id):
            return False
        return self._verify(start, end, origin, root, signature.signature)

    def _verify(self, start: int, end: int, origin: str, root: bytes, signature: bytes) -> bool:
        if len(signature) != _MLDSA_SIZE:
            return False
        try:
            timestamp = self.timestamp(signature)
            message = subtree_message(self.name, timestamp, origin, start=start, end=end, root=root)
            self._public.verify(signature[8:], message)
        except (FormatError, InvalidSignature):
            return False
        return True

    def timestamp(self, signature: bytes) -> int:
        """The time (POSIX seconds) a cosignature claims; 0 makes no claim of freshness."""
        return int.from_bytes(signature[:8], "big")
