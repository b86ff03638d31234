"""The ledger's JSON API: the next sequence number of a party, and signed statements in.

``POST /api/v1/statements`` needs no token: the statement's own signature is
its authentication. It answers 201 with the receipt, or with the refusal and
its signed note: 400 for a malformed submission, 403 for a signature or key
that does not hold, 409 for a sequence number already used or skipped, 422
for a statement the actor may not make now.
"""

import base64
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from accord.ledger.errors import KeyRefused, Malformed, Rejected
from accord.ledger.models import ActorSeq, LogState, Party
from accord.ledger.submit import parse_submission, record_refusal, submission_hash, submit

router = Router(tags=["ledger"])


class NextSeq(Schema):
    forum: str
    party: str
    next_seq: int


class Receipt(Schema):
    index: int
    leaf_hash: str
    logged_at: str
    receipt: str


class Refusal(Schema):
    code: str
    reason: str
    refusal: str | None


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


def _status(refusal: Rejected) -> int:
    if refusal.code == "bad_seq":
        return 409
    if isinstance(refusal, Malformed):
        return 400
    if isinstance(refusal, KeyRefused):
        return 403
    return 422


@router.post(
    "/statements", response={201: Receipt, 400: Refusal, 403: Refusal, 409: Refusal, 422: Refusal}
)
def statements(request: HttpRequest) -> Status[dict[str, Any]]:
    raw = request.body
    try:
        submission = parse_submission(raw)
    except Rejected as refusal:
        record_refusal(submission_hash(raw), refusal)
        return _refused(refusal)
    try:
        accepted = submit(submission)
    except Rejected as refusal:
        return _refused(refusal)
    receipt = {
        "index": accepted.index,
        "leaf_hash": base64.b64encode(accepted.leaf_hash).decode(),
        "logged_at": accepted.logged_at,
        "receipt": accepted.receipt,
    }
    return Status(201, receipt)


def _refused(refusal: Rejected) -> Status[dict[str, Any]]:
    answer = {"code": refusal.code, "reason": refusal.reason, "refusal": refusal.note}
    return Status(_status(refusal), answer)
