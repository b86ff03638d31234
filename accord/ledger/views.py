"""The log's public HTTP API (DESIGN.md §5), byte-exact where C2SP defines the format.

Every response here is public: restricted bodies and anything personal never
appear. Errors are plain sentences with the matching status code.
"""

import base64
import re

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from accord.ledger import blobs, cosigning, queries
from accord.ledger.models import Blob
from accord.ledger.witnesses import current_witnesses
from accord.tlog import FormatError
from accord.tlog.proof import Receipt
from accord.tlog.tiles import parse_tile_path

TEXT = "text/plain; charset=utf-8"
POLICY_HEADER = "Accord-Witness-Policy"
MISSING_HEADER = "Accord-Witnesses-Missing"
_HEX = re.compile(r"[0-9a-f]{64}")


def _text(body: str, *, max_age: int = 0) -> HttpResponse:
    response = HttpResponse(body, content_type=TEXT)
    response["Cache-Control"] = f"public, max-age={max_age}" if max_age else "no-cache"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def key(request: HttpRequest) -> HttpResponse:
    state = queries.log_state()
    if state is None:
        raise Http404("this log has not been founded")
    return _text(state.log_vkey + "\n", max_age=3600)


@require_safe
def checkpoint(request: HttpRequest) -> HttpResponse:
    """The latest signed checkpoint with every verified cosignature collected for it.

    Always the latest size, even when an older checkpoint has more cosignatures: a
    reader wants the newest tree, and the header says whether its witnesses have
    caught up. ``Accord-Witness-Policy`` is ``met``, ``unmet`` (with
    ``Accord-Witnesses-Missing``: the policy's names of the witnesses that have not
    cosigned) or ``none`` when the forum has no witness policy.
    """
    shown = cosigning.standing()
    if shown is None:
        raise Http404("the log has not signed a checkpoint yet")
    response = _text(shown.note, max_age=5)
    if not shown.policy:
        response[POLICY_HEADER] = "none"
    elif shown.met:
        response[POLICY_HEADER] = "met"
    else:
        response[POLICY_HEADER] = "unmet"
        response[MISSING_HEADER] = " ".join(missing.name for missing in shown.missing)
    return response


@require_safe
def witness_policy(request: HttpRequest) -> HttpResponse:
    """The forum's witness policy as a tlog-policy file, to check checkpoints against."""
    policy_text = current_witnesses().policy_text
    if not policy_text:
        absent = _text("This forum has no witness policy: its checkpoints need no cosignatures.\n")
        absent.status_code = 404
        return absent
    return _text(policy_text, max_age=60)


@require_safe
def tile(request: HttpRequest, path: str) -> HttpResponse:
    try:
        level, index, width = parse_tile_path("tile/" + path)
    except FormatError as exc:
        raise Http404(str(exc)) from None
    data = queries.tile(level, index, width)
    if data is None:
        raise Http404("the log is not that large yet")
    response = HttpResponse(data, content_type="application/octet-stream")
    # A full tile never changes; a partial one is replaced as the log grows.
    response["Cache-Control"] = (
        "public, max-age=31536000, immutable" if width == 256 else "no-cache"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def entry(request: HttpRequest, index: int) -> JsonResponse:
    document = queries.entry_document(index)
    if document is None:
        raise Http404(f"there is no entry {index}")
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


@require_safe
def consistency(request: HttpRequest, old: int, new: int) -> JsonResponse:
    state = queries.log_state()
    if state is None or not 0 < old <= new <= state.size:
        raise Http404(f"no consistency proof from {old} to {new}")
    proof = queries.hashes_at(new).consistency_proof(old)
    return JsonResponse(
        {"old_size": old, "new_size": new, "proof": [base64.b64encode(h).decode() for h in proof]}
    )


@require_safe
def receipt(request: HttpRequest, index: int) -> HttpResponse:
    latest = queries.latest_checkpoint()
    if latest is None or not 0 <= index < latest.size:
        raise Http404(f"entry {index} is not under a signed checkpoint yet")
    proof = tuple(queries.hashes_at(latest.size).inclusion_proof(index))
    return _text(Receipt(index, proof, latest.note).format())


@require_safe
def blob(request: HttpRequest, sha256: str) -> HttpResponse:
    if not _HEX.fullmatch(sha256) or not Blob.objects.filter(sha256=sha256).exists():
        raise Http404("no such blob")
    try:
        data = blobs.read(sha256)
    except LookupError as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(data, content_type="application/json")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
