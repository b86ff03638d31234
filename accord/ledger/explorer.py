"""The log explorer: plain server-rendered pages anyone can read, no script needed.

Each entry page checks, on the server, the statement's signature and its
inclusion proof against the latest checkpoint, and shows the command with
which a third party checks the same without trusting this server. A
restricted entry's page shows its body only to a signed-in reader entitled
to it (``disclosure``), checked against its commitment, and is never cached
for others.
"""

import base64
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from accord.ledger import cosigning, disclosure, queries, registry
from accord.ledger.envelope import Entry as EntryBytes
from accord.ledger.envelope import EnvelopeError, Statement, parse_time
from accord.ledger.models import Checkpoint, Entry, PartyKey, WitnessContact
from accord.ledger.witnesses import WitnessEndpoint, current_witnesses
from accord.tlog import ProofError
from accord.tlog.merkle import verify_inclusion

PAGE = 50


@dataclass(frozen=True)
class Logged:
    """What a page says of an entry, read from its signed leaf bytes and never from the
    row's convenience columns, which storage could change without breaking a signature."""

    index: int
    kind: str
    actor: str
    seq: int
    logged_at: str
    statement: Statement | None = field(default=None, repr=False, compare=False)
    """The signed statement itself, for the page's sentence of the act."""

    @classmethod
    def of(cls, row: Entry) -> "Logged":
        parsed = EntryBytes.from_bytes(bytes(row.leaf))
        statement = parsed.signed.statement
        return cls(
            row.index, statement.kind, statement.actor, statement.seq, parsed.logged_at, statement
        )


@require_safe
def explorer(request: HttpRequest) -> HttpResponse:
    state = queries.log_state()
    size = state.size if state else 0
    try:
        before = min(int(request.GET.get("before", size)), size)
    except ValueError:
        before = size
    rows = Entry.objects.filter(index__lt=before).order_by("-index").only("index", "leaf")
    entries = [Logged.of(row) for row in rows[:PAGE]]
    context = {
        "state": state,
        "checkpoint": queries.latest_checkpoint(),
        "entries": entries,
        "newer": min(before + PAGE, size) if before < size else None,
        "older": before - PAGE if before - PAGE > 0 else None,
    }
    return render(request, "ledger/explorer.html", context)


@require_safe
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
        "entry": Logged.of(row),
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
    if parsed.signed.statement.distribution != "restricted":
        return render(request, "ledger/entry.html", context)
    context |= _restricted(request, index)
    response = render(request, "ledger/entry.html", context)
    # The page now depends on who asks; no shared cache may keep it.
    patch_cache_control(response, private=True, no_store=True)
    return response


def _restricted(request: HttpRequest, index: int) -> dict[str, object]:
    """What the page says of a restricted body: the checked copy for an entitled reader,
    else why not; the read path's queries (``disclosure``)."""
    readership = registry.readership()
    reader = readership.of_session(request) if readership else None
    if reader is None:
        return {"restricted": True, "restricted_refusal": None}
    try:
        copy = disclosure.copy_for(index, reader)
    except disclosure.Undisclosed as refusal:
        return {"restricted": True, "restricted_refusal": str(refusal)}
    shown = json.dumps(copy.body, indent=2, ensure_ascii=False, sort_keys=True)
    return {
        "restricted": True,
        "restricted_copy": copy,
        "restricted_body": shown if copy.matches else None,
    }


# -- checkpoints and their witnesses ----------------------------------------------------------


ALGORITHM_NAMES = {"ed25519": "Ed25519", "ml-dsa-44": "ML-DSA-44"}
FAILURES = (
    ("did not answer within", _("did not answer in time")),
    ("could not be reached", _("could not be reached")),
    (
        "cosigned with a key it was not registered with",
        _("cosigned with a key it was not registered with"),
    ),
    ("sent a cosignature by", _("sent a cosignature that does not verify")),
    ("the witness holds size", _("holds another size of the log than the host recorded")),
    (
        "the witness has cosigned size",
        _("has cosigned a larger tree of this log than the host has"),
    ),
    ("answered more than", _("answered with more than a witness ever sends")),
    ("answered 200 with", _("answered with something that is not a cosignature")),
    ("answered 409 with", _("answered with something that is not a cosignature")),
    ("answered ", _("answered with an error")),
)
"""How the collector's failures (``accord.ledger.cosigning``, recorded in English for the
operator) read on a page, by how each sentence begins; the sentence itself is the tooltip."""


def failure_in_words(error: str) -> str:
    """A recorded failure as the reader's language says it; the sentence itself if unknown."""
    for beginning, words in FAILURES:
        if error.startswith(beginning):
            return str(words)
    return error


@dataclass(frozen=True)
class ShownCosignature:
    """A cosignature as the checkpoint page lists it: who, for which party, when, how."""

    witness: str
    party: str
    at: datetime
    algorithm: str


@dataclass(frozen=True)
class ShownWitness:
    """A registered witness and how far behind the latest checkpoint it is."""

    name: str
    party: str
    counts: bool
    cosigned_size: int | None
    lag_entries: int | None
    lag: timedelta | None
    """Between the checkpoint it last cosigned and the latest one; None when not known."""
    failing_since: str
    last_error: str

    @property
    def failure(self) -> str:
        return failure_in_words(self.last_error)


def _witness_of(endpoints: tuple[WitnessEndpoint, ...]) -> dict[str, WitnessEndpoint]:
    return {
        verifier.vkey: endpoint
        for endpoint in endpoints
        for verifier in cosigning.endpoint_keys(endpoint).values()
    }


def _shown_witnesses(
    latest: Checkpoint | None, endpoints: tuple[WitnessEndpoint, ...]
) -> list[ShownWitness]:
    """Each witness's standing against ``latest``; two queries."""
    contacts = {
        c.vkey: c
        for c in WitnessContact.objects.filter(
            vkey__in=[cosigning.contact_key(e) for e in endpoints]
        )
    }
    sizes = {c.cosigned_size for c in contacts.values()}
    signed = dict(Checkpoint.objects.filter(size__in=sizes).values_list("size", "signed_at"))
    shown = []
    for endpoint in endpoints:
        contact = contacts.get(cosigning.contact_key(endpoint))
        size = contact.cosigned_size if contact and contact.cosigned_at else None
        lag = None
        if latest is not None and size is not None and size in signed:
            lag = parse_time(latest.signed_at) - parse_time(signed[size])
        shown.append(
            ShownWitness(
                endpoint.name,
                endpoint.party,
                endpoint.counts,
                size,
                latest.size - size if latest is not None and size is not None else None,
                lag,
                contact.failing_since if contact else "",
                contact.last_error if contact else "",
            )
        )
    return shown


@require_safe
def checkpoint(request: HttpRequest, size: int | None = None) -> HttpResponse:
    """A checkpoint with its cosignatures, and the forum's witnesses against the latest one.

    Costs the witness source's queries and about six more, whatever the log's size.
    """
    latest = queries.latest_checkpoint()
    shown = latest if size is None else Checkpoint.objects.filter(size=size).first()
    if shown is None:
        raise Http404(f"the log has signed no checkpoint of size {size}")
    witnesses = current_witnesses()
    standing = cosigning.standing(shown, witnesses)
    by_key = _witness_of(witnesses.endpoints)
    cosignatures = [
        ShownCosignature(
            by_key[row.vkey].name if row.vkey in by_key else row.name,
            by_key[row.vkey].party if row.vkey in by_key else "",
            datetime.fromtimestamp(row.timestamp, UTC),
            ALGORITHM_NAMES.get(row.algorithm, row.algorithm),
        )
        for row in shown.cosignatures.order_by("pk")
    ]
    context = {
        "checkpoint": shown,
        "latest": latest,
        "root": base64.b64encode(bytes(shown.root)).decode(),
        "standing": standing,
        "cosignatures": cosignatures,
        "witnesses": _shown_witnesses(latest, witnesses.endpoints),
        "has_policy": bool(witnesses.policy_text),
        "note": standing.note if standing else shown.note,
    }
    return render(request, "ledger/checkpoint.html", context)
