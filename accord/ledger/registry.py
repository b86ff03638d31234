"""The statement kinds every app registers, and what ``check``/``apply`` receive.

A kind is a frozen, strict pydantic model of its body, declared with
``@statement_kind`` in the app's ``statements.py``; its class docstring is the
paragraph ``docs/ledger.md`` must carry (a test compares them). The ledger
looks kinds up by ``(kind, v)`` and never imports the apps: they register
themselves when Django loads them.

``check(ctx)`` decides whether this actor may make this statement now, and
``apply(ctx)`` writes the projection. Both are deterministic functions of the
projections, the statement and ``ctx.logged_at``: no clock, no randomness, no
network, so replay reaches the same state. ``ctx.body`` is None for a
restricted statement whose body is not held (a public replay); a kind must
then check and apply what the envelope alone allows.

Who may read a restricted body is also registered here, per kind
(``read_rule``), with a default for kinds that name none
(``default_read_rule``); and how a request names the party it reads for
(``readership``), since only the app that keeps people knows that.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict

from accord.ledger.envelope import SignedStatement, Statement

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accord.ledger.models import LogState, PartyKey


@dataclass(frozen=True)
class Context:
    """One statement on its way into the log (or through replay)."""

    signed: SignedStatement
    body: "Body | None"
    index: int
    logged_at: datetime
    log: "LogState"
    key: "PartyKey | None"
    """The registered key that signed; None only for the founding statement."""

    def body_as(self, kind: type["BodyT"]) -> "BodyT":
        """The body, typed as its kind's model; only for a body this context holds."""
        if not isinstance(self.body, kind):
            raise TypeError(f"expected a {kind.__name__} body, found {type(self.body).__name__}")
        return self.body

    @property
    def statement(self) -> Statement:
        return self.signed.statement

    @property
    def actor(self) -> str:
        return self.statement.actor


class Body(BaseModel):
    """Base of every statement body: strict types, no unknown fields, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    kind: ClassVar[str]
    v: ClassVar[int]
    distributions: ClassVar[tuple[str, ...]] = ("public",)

    @classmethod
    def check(cls, ctx: Context) -> None:
        """Raise a Rejected subclass if the statement may not be made now."""

    @classmethod
    def apply(cls, ctx: Context) -> None:
        """Write this statement's effect on the projections."""

    @classmethod
    def deliver(cls, ctx: Context) -> None:
        """Queue what a new entry owes people (e-mails) in the outbox, after ``apply`` and in
        its transaction; never on replay. Whoever signed it, hosted or own key, the same
        people are told."""


BodyT = TypeVar("BodyT", bound=Body)
KINDS: dict[tuple[str, int], type[Body]] = {}
AdmissionRule = Callable[[type[Body], Context], None]
ADMISSION_RULES: list[AdmissionRule] = []
Kind = TypeVar("Kind", bound=type[Body])


def statement_kind(
    kind: str, v: int, distributions: tuple[str, ...] = ("public",)
) -> Callable[[Kind], Kind]:
    """Register a body model as statement kind ``kind`` version ``v``."""

    def register(cls: Kind) -> Kind:
        if (kind, v) in KINDS:
            raise RuntimeError(f"statement kind {kind} v{v} is registered twice")
        cls.kind, cls.v, cls.distributions = kind, v, distributions
        KINDS[(kind, v)] = cls
        return cls

    return register


def admission_rule(rule: AdmissionRule) -> AdmissionRule:
    """Register a rule every statement of every kind must pass before its kind's ``check``.

    The forum registers its rules of procedure here (who may make which kind of
    statement, and for which party a person may act), so that later apps' kinds
    are bound by them without knowing about the forum. A rule raises Rejected.
    """
    ADMISSION_RULES.append(rule)
    return rule


def lookup(kind: str, v: int) -> type[Body] | None:
    return KINDS.get((kind, v))


def docs_paragraph(cls: type[Any]) -> str:
    """The class docstring as one paragraph, as docs/ledger.md must carry it."""
    return " ".join((cls.__doc__ or "").split())


ReadRule = Callable[[Statement, str], bool]
"""Whether the party (by code) may read the restricted body of the statement.

Answers from the projections as they stand now, so a party that joins later
reads earlier statements and one that left reads no more. The actor and the
secretariat read every restricted body whatever a rule says.
"""
READ_RULES: dict[str, ReadRule] = {}
_DEFAULT_READ_RULE: list[ReadRule] = []


def read_rule(kind: str) -> Callable[[ReadRule], ReadRule]:
    """Register who, besides the actor and the secretariat, reads ``kind``'s restricted bodies.

    A kind registers one when its readers are fewer or others than the
    default's (a bilateral notification: its recipients).
    """

    def register(rule: ReadRule) -> ReadRule:
        if kind in READ_RULES:
            raise RuntimeError(f"the read rule of {kind} is registered twice")
        READ_RULES[kind] = rule
        return rule

    return register


def default_read_rule(rule: ReadRule) -> ReadRule:
    """Register the rule for kinds with no rule of their own; the forum registers
    "the participating parties". With none registered, only the actor and the
    secretariat read."""
    _DEFAULT_READ_RULE[:] = [rule]
    return rule


def read_rule_for(kind: str) -> ReadRule | None:
    """The kind's own rule, else the default, else None (nobody beyond actor and secretariat)."""
    return READ_RULES.get(kind) or next(iter(_DEFAULT_READ_RULE), None)


@dataclass(frozen=True)
class Reader:
    """A person asking to read: their handle, and the party whose delegation they are
    accredited to now (None when no accreditation is in force)."""

    handle: str
    party: str | None


class Readership(Protocol):
    """How a request names who reads; registered by the app that keeps people and tokens.

    Each answer is None when the request names nobody (not signed in, an unknown
    or revoked token, a second factor still owed).
    """

    def of_session(self, request: "HttpRequest") -> Reader | None:
        """The signed-in person of a browser session."""

    def of_token(self, request: "HttpRequest", token: str) -> Reader | None:
        """The person of a personal API token."""


_READERSHIP: list[Readership] = []


def register_readership(readership: Readership) -> None:
    _READERSHIP[:] = [readership]


def readership() -> Readership | None:
    """The registered readership; None on a ledger without people (no one reads by request)."""
    return next(iter(_READERSHIP), None)
