"""A party's witness in the log: registering, rotating and removing it (issue 11 §2).

A party names the witness that cosigns the log's checkpoints for it: the
witness's key name, its cosignature verifier keys (Ed25519 cosignature/v1
first, then optionally ML-DSA-44, c2sp.org/tlog-cosignature) and the URL
prefix at which it speaks c2sp.org/tlog-witness. Registering the same name
again rotates its keys and URL; removing it ends it.

Anyone may register anything, but a registration *counts* toward the witness
policy only when the party signed it with a key of its own custody and the
witness's Ed25519 key signed the *attestation*::

    b"accord-witness-registration/v1\\n" + origin + "\\n" + party + "\\n" + url + "\\n"

Otherwise the host, which holds the hosted parties' keys, could register
witnesses it runs itself for them and meet its own quorum. A registration
that does not count is still taken in (so pages can say why it does not
count) and its witness is still asked to cosign (so its lag shows).
"""

import base64
import urllib.parse

from pydantic import Field

from accord.ledger.digest import register_projection
from accord.ledger.errors import Malformed, NotAllowed
from accord.ledger.models import RegisteredWitness
from accord.ledger.registry import Body, Context, statement_kind
from accord.ledger.witness_attestation import attest, attestation_message, attested
from accord.tlog import TlogError, note
from accord.tlog.cosignature import (
    COSIGNATURE_V1,
    MLDSA44,
    MLDSA44_PUBLIC_KEY_SIZE,
    cosignature_vkey,
    key_type,
)

MAX_URL = 500
__all__ = ["WitnessRegistered", "WitnessRemoved", "attest", "attestation_message", "attested"]

register_projection(RegisteredWitness)


def witness_keys(name: str, vkeys: list[str]) -> list[str]:
    """The witness's keys as the log keeps them: Ed25519 cosignature/v1 first (a plain 0x01
    Ed25519 key is converted as transparency-dev/formats converts one), then at most one
    ML-DSA-44 key, each named ``name``. Raises Malformed saying what is wrong."""
    if not 1 <= len(vkeys) <= 2:
        raise Malformed(
            f"a witness has one Ed25519 key and at most one ML-DSA-44 key; {len(vkeys)} given",
            "bad_witness_key",
        )
    try:
        keys = [cosignature_vkey(vkey) for vkey in vkeys]
    except TlogError as exc:
        raise Malformed(f"a witness key is not a verifier key: {exc}", "bad_witness_key") from None
    expected = [COSIGNATURE_V1, MLDSA44][: len(keys)]
    if [key_type(key) for key in keys] != expected:
        raise Malformed(
            "the first witness key must be Ed25519 (cosignature/v1), the second ML-DSA-44",
            "bad_witness_key",
        )
    for key, kind in zip(keys, expected, strict=True):
        size = MLDSA44_PUBLIC_KEY_SIZE if kind == MLDSA44 else 32
        key_name, _, _ = note.parse_vkey(key, kind, size)
        if key_name != name:
            raise Malformed(
                f"the witness is registered as {name!r} but its key is named {key_name!r}",
                "bad_witness_key",
            )
    return keys


def check_url(url: str) -> None:
    """A tlog-witness prefix the host can POST ``/add-checkpoint`` under: http or https, a
    host, no query, fragment, credentials, spaces or trailing slash."""
    parts = urllib.parse.urlsplit(url)
    problem = None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        problem = "it must start with http:// or https:// and name a host"
    elif parts.query or parts.fragment or "@" in parts.netloc:
        problem = "it must hold no query, fragment or credentials"
    elif url.endswith("/") or any(ch.isspace() for ch in url) or len(url) > MAX_URL:
        problem = f"it must end without '/' and hold no spaces, in at most {MAX_URL} characters"
    if problem is not None:
        raise Malformed(f"the witness URL {url[:80]!r} is not usable: {problem}", "bad_witness_url")


def _public_keys(keys: list[str]) -> set[bytes]:
    """The raw public keys, whatever name or type byte wraps them."""
    return {base64.b64decode(key.split("+", 2)[2])[1:] for key in keys}


@statement_kind("ledger.witness.registered", 1)
class WitnessRegistered(Body):
    """A party registers the witness that cosigns checkpoints for it: the witness's key name, its
    cosignature verifier keys (Ed25519 cosignature/v1 first, a plain Ed25519 key converted, then
    optionally ML-DSA-44), its tlog-witness URL, and the attestation, the witness key's Ed25519
    signature over origin, party and URL. Registering the same name again rotates its keys and URL.
    The registration counts toward the witness policy only when signed with a key of the party's
    own custody and the attestation verifies."""

    name: str = Field(min_length=1, max_length=200)
    vkeys: list[str] = Field(min_length=1, max_length=2)
    url: str = Field(min_length=1, max_length=MAX_URL)
    attestation: str = Field(default="", max_length=200)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(WitnessRegistered)
        try:
            note.check_name(body.name)
        except TlogError as exc:
            raise Malformed(
                f"the witness name is not a key name: {exc}", "bad_witness_key"
            ) from None
        keys = witness_keys(body.name, body.vkeys)
        check_url(body.url)
        current = RegisteredWitness.objects.filter(name=body.name, removed_at__isnull=True).first()
        if current is not None and current.party != ctx.actor:
            raise NotAllowed(
                f"the witness {body.name} is registered by {current.party}; only it may change it",
                "witness_of_another_party",
            )
        others = RegisteredWitness.objects.filter(removed_at__isnull=True).exclude(name=body.name)
        taken = set().union(*(_public_keys(other.keys) for other in others))
        if _public_keys(keys) & taken:
            raise NotAllowed(
                "this witness key is registered already under another name",
                "witness_key_in_use",
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(WitnessRegistered)
        keys = witness_keys(body.name, body.vkeys)
        RegisteredWitness.objects.update_or_create(
            name=body.name,
            defaults={
                "party": ctx.actor,
                "vkeys": "\n".join(keys),
                "url": body.url,
                "attested": attested(
                    keys[0], body.attestation, ctx.log.origin, ctx.actor, body.url
                ),
                "own_custody": ctx.key is not None and ctx.key.custody == "own",
                "registered_at": ctx.index,
                "removed_at": None,
            },
        )


@statement_kind("ledger.witness.removed", 1)
class WitnessRemoved(Body):
    """A party removes the witness it registered under this name: from this entry on the host no
    longer asks it and the witness policy no longer counts it."""

    name: str = Field(min_length=1, max_length=200)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(WitnessRemoved)
        current = RegisteredWitness.objects.filter(name=body.name, removed_at__isnull=True).first()
        if current is None:
            raise NotAllowed(f"no witness is registered as {body.name}", "unknown_witness")
        if current.party != ctx.actor:
            raise NotAllowed(
                f"the witness {body.name} is registered by {current.party}; only it may remove it",
                "witness_of_another_party",
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(WitnessRemoved)
        RegisteredWitness.objects.filter(name=body.name).update(removed_at=ctx.index)
