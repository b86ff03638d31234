"""A tlog-witness client written from the specs alone, with no code from ``accord.tlog``.

Followed: c2sp.org/signed-note (key IDs, signature lines), c2sp.org/tlog-checkpoint
(the three body lines), c2sp.org/tlog-cosignature v1 (the 0x04 key type, the time
prefix and the signed message), c2sp.org/tlog-witness v1.0.0 (the request body) and
RFC 9162 §2.1 (leaf and node hashes, §2.1.4 consistency proofs). Signatures are made
and checked with ``cryptography`` directly, so a mistake shared by Accord's log code
and its witness cannot hide here.
"""

import base64
import hashlib
import http.client
import struct
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA44PublicKey

EM_DASH = "\u2014"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _key_id(name: str, typed_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + typed_key).digest()[:4]


# -- RFC 9162 §2.1 ----------------------------------------------------------------------------


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split_point(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def tree_hash(leaves: list[bytes]) -> bytes:
    """MTH(D[n]) over leaf hashes."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = _split_point(len(leaves))
    return _node(tree_hash(leaves[:k]), tree_hash(leaves[k:]))


def _subproof(m: int, leaves: list[bytes], *, complete: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if complete else [tree_hash(leaves)]
    k = _split_point(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], complete=complete), tree_hash(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], complete=False), tree_hash(leaves[:k])]


def consistency_proof(m: int, leaves: list[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 §2.1.4.1, for 0 < m <= n."""
    return _subproof(m, leaves, complete=True)


# -- signed notes and checkpoints -------------------------------------------------------------


@dataclass
class SpecLog:
    """A log: an Ed25519 key named ``key_name``, an origin, and its leaves."""

    origin: str
    key_name: str = ""
    private: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    leaves: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.key_name = self.key_name or self.origin

    @property
    def vkey(self) -> str:
        typed = b"\x01" + self.private.public_key().public_bytes_raw()
        return f"{self.key_name}+{_key_id(self.key_name, typed).hex()}+{_b64(typed)}"

    def grow(self, count: int, tag: str = "entry") -> None:
        start = len(self.leaves)
        self.leaves += [leaf_hash(f"{tag} {i}".encode()) for i in range(start, start + count)]

    def checkpoint_text(self, size: int) -> str:
        return f"{self.origin}\n{size}\n{_b64(tree_hash(self.leaves[:size]))}\n"

    def signed(self, text: str) -> str:
        typed = b"\x01" + self.private.public_key().public_bytes_raw()
        signature = _key_id(self.key_name, typed) + self.private.sign(text.encode())
        return f"{text}\n{EM_DASH} {self.key_name} {_b64(signature)}\n"

    def checkpoint(self, size: int) -> str:
        return self.signed(self.checkpoint_text(size))

    def request(self, old: int, size: int) -> bytes:
        """An add-checkpoint body from ``old`` to ``size``, with its consistency proof."""
        proof = consistency_proof(old, self.leaves[:size]) if 0 < old < size else []
        return request_body(old, proof, self.checkpoint(size))


def request_body(old: int, proof: list[bytes], checkpoint: str) -> bytes:
    lines = [f"old {old}", *(_b64(h) for h in proof)]
    return ("".join(line + "\n" for line in lines) + "\n" + checkpoint).encode()


# -- cosignature/v1 ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WitnessKey:
    """A witness verifier key ``name+id+base64(0x04 || key)``, parsed by hand."""

    name: str
    key_id: bytes
    public: Ed25519PublicKey

    @classmethod
    def parse(cls, vkey: str) -> "WitnessKey":
        name, hex_id, encoded = vkey.split("+", 2)
        typed = base64.b64decode(encoded, validate=True)
        assert typed[0] == 0x04, "a cosignature/v1 key has type 0x04"
        assert _key_id(name, typed).hex() == hex_id
        return cls(name, bytes.fromhex(hex_id), Ed25519PublicKey.from_public_bytes(typed[1:]))

    def timestamp_of(self, line: str, checkpoint_text: str) -> int:
        """Check one cosignature line over ``checkpoint_text``; the time it states."""
        assert line.startswith(f"{EM_DASH} {self.name} "), line
        raw = base64.b64decode(line.rstrip("\n").split(" ")[2], validate=True)
        assert len(raw) == 4 + 8 + 64
        assert raw[:4] == self.key_id
        (timestamp,) = struct.unpack(">Q", raw[4:12])
        message = b"cosignature/v1\ntime %d\n" % timestamp + checkpoint_text.encode()
        self.public.verify(raw[12:], message)  # raises InvalidSignature
        return int(timestamp)


@dataclass(frozen=True)
class MLDSAWitnessKey:
    """An ML-DSA-44 witness verifier key ``name+id+base64(0x06 || key)``, parsed by hand
    (c2sp.org/tlog-cosignature: the signed ``cosigned_message`` is ``subtree/v1\\n\\0``, the
    cosigner's name, the time, the origin, start 0, end = size and the root, with one-byte
    lengths and big-endian integers)."""

    name: str
    key_id: bytes
    public: MLDSA44PublicKey

    @classmethod
    def parse(cls, vkey: str) -> "MLDSAWitnessKey":
        name, hex_id, encoded = vkey.split("+", 2)
        typed = base64.b64decode(encoded, validate=True)
        assert typed[0] == 0x06, "an ML-DSA-44 cosignature key has type 0x06"
        assert _key_id(name, typed).hex() == hex_id
        return cls(name, bytes.fromhex(hex_id), MLDSA44PublicKey.from_public_bytes(typed[1:]))

    def timestamp_of(self, line: str, origin: str, size: int, root: bytes) -> int:
        """Check one ML-DSA-44 cosignature line over the checkpoint; the time it states."""
        assert line.startswith(f"{EM_DASH} {self.name} "), line
        raw = base64.b64decode(line.rstrip("\n").split(" ")[2], validate=True)
        assert len(raw) == 4 + 8 + 2420
        assert raw[:4] == self.key_id
        (timestamp,) = struct.unpack(">Q", raw[4:12])
        name, log = self.name.encode(), origin.encode()
        message = (
            b"subtree/v1\n\x00"
            + bytes([len(name)])
            + name
            + struct.pack(">Q", timestamp)
            + bytes([len(log)])
            + log
            + struct.pack(">QQ", 0, size)
            + root
        )
        self.public.verify(raw[12:], message)  # raises InvalidSignature
        return int(timestamp)


# -- HTTP -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: str


def connect(url: str, timeout: float = 30) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    return http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=timeout)


def post(url: str, body: bytes, *, timeout: float = 30) -> Answer:
    """POST ``body`` to the witness's add-checkpoint URL."""
    parts = urlsplit(url)
    connection = connect(url, timeout)
    try:
        connection.request("POST", parts.path, body=body)
        response = connection.getresponse()
        return Answer(
            response.status, response.getheader("Content-Type", ""), response.read().decode()
        )
    finally:
        connection.close()
