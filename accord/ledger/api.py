"""The ledger's JSON API: the next sequence number of a party, and signed statements in.

``POST /api/v1/statements`` needs no token: the statement's own signature is
its authentication. It answers 201 with the receipt (``Receipt``, as every
app's acts do), or with the refusal (``Refusal``) and the HTTP status its
``Rejected`` subclass carries: 400 for a malformed submission, 403 for a
signature or key that does not hold or an act the rules profile does not
grant, 409 for a sequence number already used or skipped, 422 for a statement
the actor may not make now; 413 for a body beyond ``max_submission_bytes()`` and 429
with ``Retry-After`` beyond an allowance (``accord.ledger.allowance``). A
refusal carries the log's signed note when a registered key signed what was
refused; input nobody provably signed gets the code and reason only, and no
row is written for it.
"""

import base64
import math
from datetime import timedelta
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from accord.ledger import allowance, blobs
from accord.ledger.errors import Rejected
from accord.ledger.models import ActorSeq, LogState, Party, PartyKey
from accord.ledger.submit import Accepted, authenticate, parse_submission, submit
from accord.tlog.tiles import MAX_ENTRY_BYTES

router = Router(tags=["ledger"])


class NextSeq(Schema):
    forum: str
    party: str
    next_seq: int


class Receipt(Schema):
    """What every API answers an accepted statement with, the ledger's and every app's alike."""

    index: int
    kind: str
    leaf_hash: str = Field(description="The entry's RFC 9162 leaf hash, in standard base64.")
    logged_at: str
    entry_url: str = Field(description="The entry's page: its statement and inclusion proof.")
    receipt: str = Field(description="The receipt the log key signs (a signed note).")


class Refusal(Schema):
    """What every API answers a refused statement with; its HTTP status is the refusal's."""

    code: str
    reason: str
    refusal: str | None = Field(description="The log's signed refusal note, when it signed one.")


def receipt_of(accepted: Accepted) -> dict[str, Any]:
    """An accepted statement as ``Receipt``: one encoding of the leaf hash, base64, as the
    C2SP formats use; the entry's URL from ``reverse()``."""
    return {
        "index": accepted.index,
        "kind": accepted.statement.kind,
        "leaf_hash": base64.b64encode(accepted.leaf_hash).decode(),
        "logged_at": accepted.logged_at,
        "entry_url": reverse("explorer-entry", args=[accepted.index]),
        "receipt": accepted.receipt,
    }


def refusal_of(refusal: Rejected) -> Status[dict[str, Any]]:
    """A refusal as ``Refusal``, with the HTTP status its ``Rejected`` subclass carries."""
    answer = {"code": refusal.code, "reason": refusal.reason, "refusal": refusal.note}
    return Status(refusal.http_status, answer)


class Problem(Schema):
    detail: str


@router.get("/parties/{code}/next-seq", response={200: NextSeq, 404: Problem})
def next_seq(request: HttpRequest, code: str) -> Status[dict[str, Any]]:
    state = LogState.objects.filter(pk=1).first()
    if state is None or (
        code != state.secretariat and not Party.objects.filter(code=code).exists()
    ):
        return Status(404, {"detail": f"no party {code} is registered in this log"})
    last = ActorSeq.objects.filter(actor=code).values_list("last_seq", flat=True).first() or 0
    return Status(200, {"forum": state.origin, "party": code, "next_seq": last + 1})


class KeyOut(Schema):
    vkey: str
    party: str
    custody: str
    added_at: int = Field(description="The entry that registered the key; prove it from the log.")
    revoked_at: int | None


@router.get("/keys", response={200: KeyOut, 404: Problem})
def key(request: HttpRequest, vkey: str) -> Status[dict[str, Any]]:
    """The party a verifier key is registered to, and the entry that registered it, so an
    own-key tool finds its party and checks that entry's inclusion itself. One query."""
    found = PartyKey.objects.filter(vkey=vkey).first()
    if found is None:
        return Status(404, {"detail": "no party has this key registered in this log"})
    return Status(
        200,
        {
            "vkey": found.vkey,
            "party": found.party,
            "custody": found.custody,
            "added_at": found.added_at,
            "revoked_at": found.revoked_at,
        },
    )


def max_submission_bytes() -> int:
    """The largest body ``POST /statements`` reads: one entry's statement, a blob in base64
    and a restricted body beside it, with room for JSON escapes (about 5.7 MB by default)."""
    return MAX_ENTRY_BYTES + 2 * 4 * math.ceil(blobs.max_bytes() / 3)


@router.post(
    "/statements",
    response={
        201: Receipt,
        400: Refusal,
        403: Refusal,
        409: Refusal,
        413: Problem,
        422: Refusal,
        429: Problem,
    },
)
def statements(request: HttpRequest) -> Status[dict[str, Any]] | JsonResponse:
    address = "address:" + allowance.client_address(request)
    wait = allowance.waiting(address, allowance.address_rate())
    if wait is not None:
        return _too_many(
            wait, "This address has sent too much that was not a valid next signed statement"
        )
    raw = _body(request)
    if raw is None:
        allowance.charge(address, allowance.address_rate())
        limit = max_submission_bytes()
        detail = (
            f"A submission may be at most {limit} bytes; send a larger body as a blob of at"
            f" most {blobs.max_bytes()} bytes."
        )
        return JsonResponse({"detail": detail}, status=413)
    try:
        submission = parse_submission(raw)
        fresh = authenticate(submission.signed)
    except Rejected as refusal:
        allowance.charge(address, allowance.address_rate())
        return refusal_of(refusal)
    if fresh:
        actor = submission.signed.statement.actor
        wait = allowance.spend("party:" + actor, allowance.party_rate())
        if wait is not None:
            return _too_many(wait, f"{actor} has sent many statements in a short time")
    else:
        allowance.charge(address, allowance.address_rate())
    try:
        accepted = submit(submission, authenticated=True)
    except Rejected as refusal:
        return refusal_of(refusal)
    return Status(201, receipt_of(accepted))


def _body(request: HttpRequest) -> bytes | None:
    """The request body, or None when it is larger than ``max_submission_bytes()``.

    Read from the stream with its own bound, so Django's smaller form-data limit does not
    turn a large blob into a 500, and a body that declares itself too large is not read.
    """
    limit = max_submission_bytes()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    raw = request.read(limit + 1)
    return raw if len(raw) <= limit else None


def _too_many(wait: timedelta, who: str) -> JsonResponse:
    seconds = max(1, math.ceil(wait.total_seconds()))
    answer = JsonResponse(
        {"detail": f"{who}; wait {seconds} s (Retry-After) and send it again."}, status=429
    )
    answer["Retry-After"] = str(seconds)
    return answer
