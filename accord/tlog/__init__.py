"""accord.tlog: the transparency-log library, pure Python, no Django.

The C2SP formats (signed-note, tlog-checkpoint, tlog-cosignature, tlog-tiles,
tlog-witness, tlog-proof, tlog-policy) and RFC 9162 Merkle proofs, so that
anyone can check Accord's log with this package alone or with tools written
elsewhere. See docs/transparency-log.md.
"""

from accord.tlog.errors import FormatError, NoteError, ProofError, SignatureError, TlogError

__all__ = ["FormatError", "NoteError", "ProofError", "SignatureError", "TlogError"]
