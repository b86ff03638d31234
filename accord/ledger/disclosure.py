"""Reading a restricted statement: who may, and a copy checked against its commitment.

The log carries only ``{"commitment": "sha256:…"}``; the salted body is kept
beside it (``RestrictedBody``) and shown on the explorer's entry page, by the
API (``GET /api/v1/statements/{index}/restricted``) and by
``accord restricted show``, to the parties entitled and no one else: the
actor, the secretariat, and the parties the kind's read rule admits
(``registry.read_rule``; by default the forum's participating parties). A
person reads for the party whose delegation they are accredited to now.

Every copy is checked against the commitment before it is shown; one that does
not match is reported, never shown as the statement's text. The host holds
every body it was sent, so this rule binds the host's pages and API, not the
host itself (docs/ledger.md says so).

Cost of one read: one entry row, the kind's rule (the forum's: one query), one
``RestrictedBody`` row and one SHA-256.
"""

from dataclasses import dataclass
from typing import Any

from accord.ledger import blobs, registry
from accord.ledger.envelope import Entry as EntryBytes
from accord.ledger.envelope import Statement
from accord.ledger.models import Entry, LogState, RestrictedBody
from accord.ledger.registry import Reader
from accord.ledger.restricted import commitment_of
from accord.lib import canonical


class Undisclosed(Exception):  # noqa: N818 -- the domain's word: the body is not disclosed
    """Why a restricted body is not shown; ``status`` is the HTTP status that says so."""

    status = 404


class NotRestricted(Undisclosed):
    """There is no such entry, or it is public and its body is in the log itself."""


class NotEntitled(Undisclosed):
    """The reader's party is not entitled to this body, or the reader reads for no party."""

    status = 403


class NotHeld(Undisclosed):
    """This host does not hold the salted body (a log mirrored without its restricted bodies)."""


@dataclass(frozen=True)
class Copy:
    """The salted body this host holds for a restricted entry, and whether it matches."""

    index: int
    statement: Statement
    commitment: str
    salt: str
    body: dict[str, Any] | None
    """The stored body, None when the stored bytes are not even a JSON object."""

    @property
    def matches(self) -> bool:
        """Whether salt and body hash to the commitment the party signed."""
        return self.body is not None and commitment_of(self.salt, self.body) == self.commitment


def restricted_statement(index: int) -> Statement:
    """The statement of a restricted entry; one row read. NotRestricted otherwise."""
    leaf = Entry.objects.filter(index=index).values_list("leaf", flat=True).first()
    if leaf is None:
        raise NotRestricted(f"there is no entry {index} in this log")
    statement = EntryBytes.from_bytes(bytes(leaf)).signed.statement
    if statement.distribution != "restricted":
        raise NotRestricted(
            f"entry {index} is public: its body is in the log at /log/entry/{index}"
        )
    return statement


def may_read(statement: Statement, party: str) -> bool:
    """Whether ``party`` is entitled to the statement's restricted body; the rule's reads."""
    secretariat = LogState.objects.values_list("secretariat", flat=True).first()
    if party in (statement.actor, secretariat):
        return True
    rule = registry.read_rule_for(statement.kind)
    return rule is not None and rule(statement, party)


def entitled_party(index: int, statement: Statement, reader: Reader | str) -> str:
    """The party a reader reads for, if it is entitled to the entry; NotEntitled otherwise.

    ``reader`` is a person (who reads for their accredited party) or, on the
    host, a party code given by its operator.
    """
    if isinstance(reader, Reader):
        if reader.party is None:
            raise NotEntitled(
                f"{reader.handle} is not accredited to any delegation, so reads no restricted"
                " statement; ask your head of delegation to accredit you"
            )
        party = reader.party
    else:
        party = reader
    if not may_read(statement, party):
        raise NotEntitled(
            f"{party} is not among the parties entitled to read the restricted entry {index};"
            f" ask {statement.actor}, which made it, for a copy"
        )
    return party


def copy_for(index: int, reader: Reader | str) -> Copy:
    """The stored copy of a restricted entry's body, for an entitled reader.

    Raises NotRestricted, NotEntitled or NotHeld, in that order, so a stranger
    learns only what the public log already says. The copy may not match its
    commitment (a damaged or altered row): callers check ``matches``.
    """
    statement = restricted_statement(index)
    entitled_party(index, statement, reader)
    commitment = commitment_in(statement)
    row = RestrictedBody.objects.filter(commitment=commitment).first()
    if row is None:
        raise NotHeld(f"this host does not hold the restricted body of entry {index}")
    try:
        body = canonical.loads(bytes(row.body))
    except canonical.CanonicalError:
        body = None
    return Copy(index, statement, commitment, row.salt, body if isinstance(body, dict) else None)


def commitment_in(statement: Statement) -> str:
    """The commitment a restricted statement signs, from its body or the blob it names."""
    body: Any = statement.body
    reference = blobs.parse_reference(body)
    if reference is not None:
        try:
            body = canonical.parse(blobs.read(reference[0]))
        except (LookupError, canonical.CanonicalError) as exc:
            raise NotHeld(f"the commitment's blob cannot be read: {exc}") from None
    commitment = body.get("commitment") if isinstance(body, dict) else None
    if not isinstance(commitment, str):
        raise NotHeld("this restricted statement carries no commitment to check a copy against")
    return commitment
