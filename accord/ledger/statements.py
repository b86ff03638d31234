"""The ledger's own statement kinds: founding the log, parties' keys, and communiqués.

Each class is one kind: its fields are the body's schema, its docstring is the
paragraph in docs/ledger.md, ``check`` says who may make it and when, and
``apply`` writes its projection.
"""

from typing import Literal

from pydantic import Field

from accord.ledger.digest import register_projection
from accord.ledger.envelope import format_time
from accord.ledger.errors import Malformed, NotAllowed
from accord.ledger.models import ActorSeq, Communique, LogState, Party, PartyKey
from accord.ledger.registry import Body, Context, statement_kind
from accord.tlog import FormatError, note

Custody = Literal["hosted", "own"]

for _model in (LogState, Party, PartyKey, ActorSeq, Communique):
    register_projection(_model)


def _check_new_key(vkey: str) -> None:
    try:
        note.Verifier(vkey)
    except FormatError as exc:
        raise Malformed(f"the key is not an Ed25519 verifier key: {exc}", "bad_key") from None
    if PartyKey.objects.filter(vkey=vkey).exists():
        raise NotAllowed("this key is already registered in the log", "key_in_use")


def recorded_as_hosted(body: Body | None, actor: str) -> tuple[str, str] | None:
    """The (party, verifier key) a statement records as kept by the host, if it records one.

    ``submit`` refuses such a statement unless the host holds that key for that
    party; ``check`` cannot judge it, since what the host holds is not in the log.
    """
    if isinstance(body, LogFounded) and body.custody == "hosted":
        return body.secretariat, body.secretariat_key
    if isinstance(body, PartyRegistered) and body.custody == "hosted":
        return body.party, body.vkey
    if isinstance(body, KeyAdded) and body.custody == "hosted":
        return actor, body.vkey
    if isinstance(body, KeyRotated) and body.custody == "hosted":
        return actor, body.new
    return None


def active_keys(party: str) -> list[str]:
    """The party's keys not revoked; one query."""
    return list(
        PartyKey.objects.filter(party=party, revoked_at__isnull=True).values_list("vkey", flat=True)
    )


@statement_kind("ledger.log.founded", 1)
class LogFounded(Body):
    """The first entry of every log, signed by the secretariat: the log's origin, the verifier key
    that signs its checkpoints, receipts and refusals, and the secretariat's party code and first
    key (with its custody). Accepted only as entry 0."""

    origin: str = Field(min_length=1)
    log_key: str
    secretariat: str
    secretariat_key: str
    custody: Custody

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(LogFounded)
        if ctx.index != 0:
            raise NotAllowed("this log was founded already", "already_founded")
        if (body.origin, body.log_key, body.secretariat) != (
            ctx.log.origin,
            ctx.log.log_vkey,
            ctx.log.secretariat,
        ):
            raise NotAllowed("the founding does not describe this log", "wrong_founding")
        if ctx.actor != body.secretariat or ctx.signed.key != body.secretariat_key:
            raise NotAllowed(
                "the founding must be signed by the secretariat's key it names", "wrong_founding"
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(LogFounded)
        Party.objects.create(code=body.secretariat, name="Secretariat", registered_at=ctx.index)
        PartyKey.objects.create(
            vkey=body.secretariat_key,
            party=body.secretariat,
            custody=body.custody,
            added_at=ctx.index,
        )


@statement_kind("ledger.party.registered", 1)
class PartyRegistered(Body):
    """The secretariat registers a party under its code with its name and first key (hosted by the
    server, or the party's own). A party whose keys were all revoked is registered again the same
    way, under the same code."""

    party: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9-]{1,31}$")
    name: str = Field(min_length=1, max_length=200)
    vkey: str
    custody: Custody

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(PartyRegistered)
        if ctx.actor != ctx.log.secretariat:
            raise NotAllowed("only the secretariat registers parties", "not_secretariat")
        if body.party == ctx.log.secretariat:
            raise NotAllowed("the secretariat cannot register itself as a party", "not_allowed")
        if active_keys(body.party):
            raise NotAllowed(
                f"{body.party} is registered already and holds a key", "already_registered"
            )
        existing = Party.objects.filter(code=body.party).first()
        if existing is not None and existing.name != body.name:
            raise NotAllowed(
                f"{body.party} is registered as {existing.name!r}", "already_registered"
            )
        _check_new_key(body.vkey)

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(PartyRegistered)
        Party.objects.get_or_create(
            code=body.party, defaults={"name": body.name, "registered_at": ctx.index}
        )
        PartyKey.objects.create(
            vkey=body.vkey, party=body.party, custody=body.custody, added_at=ctx.index
        )


@statement_kind("ledger.key.added", 1)
class KeyAdded(Body):
    """A party adds another key, signed with one of its current keys; both stay valid. A key
    recorded as hosted is accepted only if the host holds it for that party (`key_not_held`)."""

    vkey: str
    custody: Custody

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(KeyAdded)
        _check_new_key(body.vkey)

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(KeyAdded)
        PartyKey.objects.create(
            vkey=body.vkey, party=ctx.actor, custody=body.custody, added_at=ctx.index
        )


@statement_kind("ledger.key.rotated", 1)
class KeyRotated(Body):
    """A party replaces one of its current keys with a new one, signed with a current key: the old
    key is revoked at this entry and the new one valid from it. A new key recorded as hosted is
    accepted only if the host holds it for that party (`key_not_held`)."""

    old: str
    new: str
    custody: Custody

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(KeyRotated)
        if body.old not in active_keys(ctx.actor):
            raise NotAllowed(f"{body.old} is not a current key of {ctx.actor}", "not_a_current_key")
        _check_new_key(body.new)

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(KeyRotated)
        PartyKey.objects.filter(vkey=body.old).update(revoked_at=ctx.index)
        PartyKey.objects.create(
            vkey=body.new, party=ctx.actor, custody=body.custody, added_at=ctx.index
        )


@statement_kind("ledger.key.revoked", 1)
class KeyRevoked(Body):
    """A key is revoked from this entry on: by its party (which must keep at least one current
    key), or by the secretariat when a party has lost or exposed a key, with the reason."""

    party: str
    vkey: str
    reason: str = Field(min_length=1, max_length=500)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(KeyRevoked)
        if ctx.actor not in (body.party, ctx.log.secretariat):
            raise NotAllowed("a key is revoked by its party or by the secretariat", "not_allowed")
        active = active_keys(body.party)
        if body.vkey not in active:
            raise NotAllowed(
                f"{body.vkey} is not a current key of {body.party}", "not_a_current_key"
            )
        if ctx.actor == body.party and len(active) == 1:
            raise NotAllowed("a party cannot revoke its last key; add or rotate first", "last_key")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(KeyRevoked)
        PartyKey.objects.filter(vkey=body.vkey).update(revoked_at=ctx.index)


@statement_kind("ledger.communique.published", 1, distributions=("public", "restricted"))
class CommuniquePublished(Body):
    """A party publishes a communiqué: a title and a text, public, or restricted to the
    participating parties (then the log holds only a commitment to the salted text)."""

    title: str = Field(min_length=1, max_length=300)
    text: str = Field(min_length=1)

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body
        assert body is None or isinstance(body, CommuniquePublished)
        statement = ctx.statement
        Communique.objects.create(
            entry_index=ctx.index,
            party=ctx.actor,
            distribution=statement.distribution,
            commitment=str(statement.body.get("commitment", "")),
            title=body.title if body else "",
            text=body.text if body else "",
            published_at=format_time(ctx.logged_at),
        )


# The witness kinds live beside the key kinds, in a module of their own (issue 11 §2).
from accord.ledger import witness_registration  # noqa: E402, F401
