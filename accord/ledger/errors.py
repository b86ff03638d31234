"""Why a statement was turned away. No Django here: the CLI and ``accord verify`` use it too.

Every refusal is a ``Rejected`` with a machine ``code`` (stable, for scripts and the
API) and a sentence a delegate can act on. Subclasses group the codes by who
must act: the signer's tooling (``Malformed``), the key holder (``KeyRefused``),
or the person who chose to act (``NotAllowed``).
"""


class Rejected(Exception):  # noqa: N818 -- the domain's word: a statement is rejected
    """A statement the log refused; nothing was written."""

    code = "rejected"
    http_status = 422
    """The HTTP status every API answers this refusal with."""
    note: str | None = None
    """The log's signed refusal, once it has been recorded."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def reason(self) -> str:
        return str(self)


class Malformed(Rejected):
    """The bytes are not a well-formed statement: fix the tool that made them."""

    code = "malformed"
    http_status = 400


class KeyRefused(Rejected):
    """The signature, key or sequence number does not hold for this actor."""

    code = "bad_signature"
    http_status = 403

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message, code)
        if self.code == "bad_seq":
            self.http_status = 409  # a sequence number used or skipped: fetch next-seq again


class NotAllowed(Rejected):
    """Well-formed and signed, but this actor may not do this now."""

    code = "not_allowed"
    http_status = 422


class NotPermitted(NotAllowed):
    """The rules profile, or the person's accreditation, does not let this actor act so."""

    code = "not_permitted"
    http_status = 403
