"""The log explorer: plain server-rendered pages anyone can read, no script needed.

Each entry page checks, on the server, the statement's signature and its
inclusion proof against the latest checkpoint, and shows the command with
which a third party checks the same without trusting this server.
"""

import base64
import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accord.ledger import queries
from accord.ledger.envelope import Entry as EntryBytes
from accord.ledger.envelope import EnvelopeError
from accord.ledger.models import Entry, PartyKey
from accord.tlog import ProofError
from accord.tlog.merkle import verify_inclusion

PAGE = 50


@require_GET
def explorer(request: HttpRequest) -> HttpResponse:
    state = queries.log_state()
    size = state.size if state else 0
    try:
        before = min(int(request.GET.get("before", size)), size)
    except ValueError:
        before = size
    entries = (
        Entry.objects.filter(index__lt=before)
        .order_by("-index")
        .only("index", "kind", "actor", "logged_at")[:PAGE]
    )
    context = {
        "state": state,
        "checkpoint": queries.latest_checkpoint(),
        "entries": entries,
        "newer": min(before + PAGE, size) if before < size else None,
        "older": before - PAGE if before - PAGE > 0 else None,
    }
    return render(request, "ledger/explorer.html", context)


@require_GET
def entry(request: HttpRequest, index: int) -> HttpResponse:
    state = queries.log_state()
    row = Entry.objects.filter(index=index).first()
    if state is None or row is None:
        raise Http404(f"there is no entry {index}")
    leaf = bytes(row.leaf)
    parsed = EntryBytes.from_bytes(leaf)
    try:
        parsed.signed.verify()
        signature_ok = True
    except EnvelopeError:
        signature_ok = False
    checkpoint = queries.latest_checkpoint()
    proof, proof_ok = None, False
    if checkpoint is not None and index < checkpoint.size:
        hashes = queries.hashes_at(checkpoint.size).inclusion_proof(index)
        try:
            verify_inclusion(
                bytes(row.leaf_hash), index, checkpoint.size, hashes, bytes(checkpoint.root)
            )
            proof_ok = True
        except ProofError:
            proof_ok = False
        proof = [base64.b64encode(h).decode() for h in hashes]
    context = {
        "entry": row,
        "leaf_hash": base64.b64encode(bytes(row.leaf_hash)).decode(),
        "statement": json.dumps(
            parsed.signed.statement.to_json(), indent=2, ensure_ascii=False, sort_keys=True
        ),
        "signature": base64.b64encode(parsed.signed.signature).decode(),
        "signature_ok": signature_ok,
        "key": parsed.signed.key,
        "custody": PartyKey.objects.filter(vkey=parsed.signed.key)
        .values_list("custody", flat=True)
        .first(),
        "proof": proof,
        "proof_ok": proof_ok,
        "checkpoint_size": checkpoint.size if checkpoint else None,
        "checkpoint_note": checkpoint.note if checkpoint else "",
        "log_url": request.build_absolute_uri("/log"),
        "log_key": state.log_vkey,
    }
    return render(request, "ledger/entry.html", context)
