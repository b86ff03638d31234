"""Deterministic keys for tests: an Ed25519 seed is SHA-256 of a label.

Signing with Ed25519 is deterministic, so notes signed with these keys are
the same bytes on every run and can be compared against committed files.
"""

import hashlib

from accord.tlog import note
from accord.tlog.cosignature import Cosigner


def skey(name: str, label: str | None = None) -> str:
    """The signer key for ``name`` whose seed is SHA-256 of ``label`` (default: the name)."""
    return note.format_skey(name, hashlib.sha256((label or name).encode()).digest())


def log_keys(name: str) -> tuple[note.Signer, note.Verifier]:
    signer = note.Signer(skey(name))
    return signer, note.Verifier(signer.vkey)


def witness_key(name: str) -> Cosigner:
    return Cosigner(skey(name))
