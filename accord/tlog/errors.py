"""The exceptions of accord.tlog.

Every failure in the library is one of these, so an auditor's script can catch
``TlogError`` and know that nothing else (no ``IndexError``, no ``binascii.Error``)
escapes from malformed or adversarial input. Messages say what was expected and
what was found.
"""


class TlogError(Exception):
    """Base class of every error raised by accord.tlog."""


class FormatError(TlogError):
    """Input that does not follow the format it claims (a key, a checkpoint, a path...)."""


class NoteError(FormatError):
    """A signed note that is malformed (c2sp.org/signed-note)."""


class ProofError(TlogError):
    """A Merkle proof that is malformed, out of range or does not verify."""


class SignatureError(TlogError):
    """A known key's signature that fails, or a note that no known key signed."""
