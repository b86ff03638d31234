"""Evidence that a log misbehaved: notes it signed that no honest log signs together.

``accord verify`` writes one when what a log serves contradicts what this
machine saw before, and a party's node when the log drops an entry it gave a
receipt for or signs a state digest that replay does not reproduce; anyone
holding the log's key re-checks it with this module and ``accord.tlog`` alone
(no network, no trust in whoever wrote it; no Django either, except that the
``digest-not-reproduced`` claim replays the entries in a throw-away in-memory
database, ``accord.ledger.scratch_replay``). The format is documented in
docs/evidence.md. Two signed checkpoints (a fork or a rewind)::

    {
      "format": "accord-evidence/v1",
      "claim": "different-roots" | "not-consistent" | "rewind",
      "proves": "<the sentence check() gives, for a human reader>",
      "origin": "<the log's origin>",
      "log_key": "<the log's verifier key>",
      "earlier": {"checkpoint": "<signed note>", "location": "...", "seen": "<RFC 3339>" | null},
      "later": {...the same...},
      "prefix": {"root": "<base64>", "proof": ["<base64>", ...]} | null,
      "served_proof": ["<base64>", ...] | null
    }

A receipt and a later checkpoint whose tree holds another leaf at its index::

    {"format": ..., "claim": "missing-entry", "proves": ..., "origin": ..., "log_key": ...,
     "receipt": "<signed accord-receipt/v1 note>", "later": {...an observation...},
     "served_leaf": "<base64 leaf hash>", "inclusion_proof": ["<base64>", ...]}

A signed state digest, the checkpoint of its size and every entry up to it::

    {"format": ..., "claim": "digest-not-reproduced", "proves": ..., "origin": ...,
     "log_key": ..., "state_digest": "<signed accord-state-digest/v1 note>",
     "checkpoint": {...an observation...}, "entries": ["<base64 entry bytes>", ...]}

``check`` re-derives the claim from the signed checkpoints and the proof and
trusts nothing else in the file: the ``claim`` and ``proves`` fields are for
readers, and a file whose stated claim is not what its checkpoints show is
refused. Checking a fork, a rewind or a missing entry costs two signature
verifications and at most 126 hashes; a false digest costs O(n) in the entries:
their tree's root (2n hashes) and a replay of every one of them.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from accord.ledger.signed_notes import (
    NoteFormatError,
    ReceiptText,
    parse_receipt,
    parse_state_digest,
)
from accord.tlog import TlogError, note
from accord.tlog.checkpoint import Checkpoint, open_checkpoint
from accord.tlog.merkle import HASH_SIZE, verify_consistency, verify_inclusion
from accord.tlog.merkle import root as tree_root

FORMAT = "accord-evidence/v1"
MAX_EVIDENCE_BYTES = 4 * note.MAX_NOTE_BYTES
"""Two notes of at most 1 MiB each, two short proofs and names: more is refused unread."""
MAX_REPLAY_EVIDENCE_BYTES = 256 * 1024 * 1024
"""For ``digest-not-reproduced`` only, which carries every entry up to the digest's size
(base64, a third larger than the entries): about 200,000 entries of 1 KB. A larger log's
digest has to be judged by replaying one's own mirror (``accord node``)."""
MAX_ENTRY_BYTES = 65535
"""tlog-tiles frames an entry with a 16-bit length (DESIGN.md §3)."""
CLAIMS = ("different-roots", "not-consistent", "rewind", "missing-entry", "digest-not-reproduced")
CLAIM_WORDS = {
    "different-roots": "the log signed two roots for one size",
    "not-consistent": "the log rewrote history it had signed",
    "rewind": "the log went back to a smaller size",
    "missing-entry": "the log dropped an entry it had given a receipt for",
    "digest-not-reproduced": "the log signed a state digest that its own entries do not replay to",
}
"""Each claim in words, for people reading a checker's answer."""


class EvidenceError(Exception):
    """An evidence file that is malformed or does not prove what it claims."""


@dataclass(frozen=True)
class Observation:
    """One signed checkpoint as a client saw it: the note verbatim, where, and when."""

    checkpoint: str
    location: str
    seen: str | None


@dataclass(frozen=True)
class Evidence:
    """Notes signed by ``log_key`` and the proof that no honest log signs them all.

    For a fork or a rewind: two checkpoints, the earlier seen first. For the claims
    that rest on one checkpoint (``missing-entry``, ``digest-not-reproduced``, made by
    ``missing_entry`` and ``digest_not_reproduced``), ``earlier`` and ``later`` are
    that one checkpoint.

    ``prefix_root`` and ``prefix_proof`` are what the larger tree itself commits
    to for its first ``earlier.size`` entries (computed by the client from the
    entries it checked), so that a smaller checkpoint with another root is
    shown inconsistent without trusting the client. ``served_proof`` is the
    consistency proof the log served, if it served one, kept as it came.
    """

    log_key: str
    earlier: Observation
    later: Observation
    prefix_root: bytes | None = None
    prefix_proof: tuple[bytes, ...] = ()
    served_proof: tuple[bytes, ...] | None = None
    receipt: str | None = None
    """``missing-entry``: the signed receipt note, verbatim."""
    served_leaf: bytes | None = None
    """``missing-entry``: the leaf hash the log served at the receipt's index."""
    inclusion_proof: tuple[bytes, ...] = ()
    """``missing-entry``: the served leaf's inclusion proof against ``later``."""
    state_digest: str | None = None
    """``digest-not-reproduced``: the signed state digest note, verbatim."""
    entries: tuple[bytes, ...] = ()
    """``digest-not-reproduced``: every entry's bytes, from index 0 to the digest's size."""
    blobs: tuple[bytes, ...] = ()
    """``digest-not-reproduced``: the bodies of those entries that refer to a blob."""


@dataclass(frozen=True)
class Finding:
    """What a checked evidence file proves."""

    claim: str
    origin: str
    earlier: Checkpoint
    later: Checkpoint
    proves: str
    served_proof_verifies: bool | None
    index: int | None = None
    """``missing-entry``: the index the receipt names."""
    signed_digest: str | None = None
    """``digest-not-reproduced``: the digest the log signed."""
    replayed_digest: str | None = None
    """``digest-not-reproduced``: the digest replay of the entries reaches."""


def missing_entry(
    *,
    log_key: str,
    receipt: str,
    later: Observation,
    served_leaf: bytes,
    inclusion_proof: tuple[bytes, ...],
) -> Evidence:
    """Evidence that the log gave ``receipt`` for an entry its ``later`` tree does not hold.

    ``served_leaf`` is the leaf hash the log served at the receipt's index and
    ``inclusion_proof`` its proof against ``later``'s root. Nothing is checked here:
    ``check`` does.
    """
    return Evidence(
        log_key,
        later,
        later,
        receipt=receipt,
        served_leaf=served_leaf,
        inclusion_proof=tuple(inclusion_proof),
    )


def digest_not_reproduced(
    *,
    log_key: str,
    state_digest: str,
    checkpoint: Observation,
    entries: list[bytes],
    blobs: list[bytes] | None = None,
) -> Evidence:
    """Evidence that the log signed ``state_digest`` and replaying ``entries`` reaches another.

    ``checkpoint`` is the log's checkpoint of the digest's size, and ``entries`` every
    entry's bytes up to it, from index 0; ``blobs`` the bodies of those that refer to a
    blob (``/log/blob/<sha256>``), so that a checker without the log can replay them.
    Nothing is checked here: ``check`` does.
    """
    return Evidence(
        log_key,
        checkpoint,
        checkpoint,
        state_digest=state_digest,
        entries=tuple(entries),
        blobs=tuple(blobs or ()),
    )


def check(evidence: Evidence, log_key: str) -> Finding:
    """Verify both checkpoints with ``log_key`` and re-derive what they prove.

    ``log_key`` is the key the checker trusts (from the forum, out of band), not
    the one the file names; they must be the same. Raises EvidenceError with a
    sentence naming what does not hold.
    """
    if log_key != evidence.log_key:
        raise EvidenceError(
            f"the key given ({log_key}) is not the key the evidence names"
            f" ({evidence.log_key}); check it against the log key you trust"
        )
    try:
        verifier = note.Verifier(log_key)
    except TlogError as exc:
        raise EvidenceError(f"the log key is not a verifier key: {exc}") from None
    if evidence.receipt is not None and evidence.state_digest is not None:
        raise EvidenceError("the evidence holds a receipt and a state digest; one claim a file")
    if evidence.receipt is not None:
        return _missing_entry(evidence, evidence.receipt, verifier)
    if evidence.state_digest is not None:
        return _digest_not_reproduced(evidence, evidence.state_digest, verifier)
    earlier = _opened(evidence.earlier, verifier, "earlier")
    later = _opened(evidence.later, verifier, "later")
    if earlier.origin != later.origin:
        raise EvidenceError(
            f"the checkpoints are of two logs ({earlier.origin!r} and {later.origin!r});"
            " evidence needs two checkpoints of one log"
        )
    claim, proves = _judge(evidence, earlier, later)
    served = None
    if evidence.served_proof is not None and 0 < earlier.size < later.size:
        try:
            verify_consistency(
                earlier.size, later.size, evidence.served_proof, earlier.root, later.root
            )
            served = True
        except TlogError:
            served = False
    return Finding(claim, earlier.origin, earlier, later, proves, served)


def _missing_entry(evidence: Evidence, signed: str, verifier: note.Verifier) -> Finding:
    """A receipt for index i, a later tree of size > i, and another leaf proven at i."""
    receipt = _receipt(signed, verifier)
    later = _opened(evidence.later, verifier, "later")
    if receipt.origin != later.origin:
        raise EvidenceError(
            f"the receipt is of {receipt.origin!r} and the checkpoint of {later.origin!r};"
            " evidence needs a receipt and a checkpoint of one log"
        )
    i = receipt.index
    if not i < later.size:
        raise EvidenceError(
            f"the receipt is for entry {i}, which a checkpoint of size {later.size} does not"
            " reach yet; it proves nothing missing"
        )
    served = evidence.served_leaf
    if served is None or len(served) != HASH_SIZE:
        raise EvidenceError("the evidence gives no 32-byte leaf hash served at the index")
    try:
        verify_inclusion(served, i, later.size, evidence.inclusion_proof, later.root)
    except TlogError as exc:
        raise EvidenceError(
            f"the served leaf's inclusion proof does not verify against the later checkpoint: {exc}"
        ) from None
    if served == receipt.leaf_hash:
        raise EvidenceError(
            f"the tree at size {later.size} holds the receipt's entry at index {i};"
            " nothing is missing"
        )
    proves = (
        f"The log key signed a receipt for entry {i} of {later.origin!r} with the leaf hash"
        f" {_b64(receipt.leaf_hash)}, logged at {receipt.logged_at}, and later a checkpoint"
        f" at size {later.size}, seen at {evidence.later.location} on"
        f" {evidence.later.seen or 'an unrecorded date'}, whose tree holds another leaf,"
        f" {_b64(served)}, at index {i}: the log dropped or replaced an entry it had"
        " accepted. An honest log never signs both."
    )
    return Finding("missing-entry", later.origin, later, later, proves, None, index=i)


def _receipt(signed: str, verifier: note.Verifier) -> ReceiptText:
    try:
        opened = note.open(signed, [verifier])
    except TlogError as exc:
        raise EvidenceError(f"the receipt does not verify with the log key: {exc}") from None
    try:
        return parse_receipt(opened.text)
    except NoteFormatError as exc:
        raise EvidenceError(f"the receipt is not an accord-receipt/v1 note: {exc}") from None


def _digest_not_reproduced(evidence: Evidence, note_text: str, verifier: note.Verifier) -> Finding:
    """A signed digest at size n, the checkpoint of size n, and entries that replay elsewhere."""
    try:
        opened = note.open(note_text, [verifier])
    except TlogError as exc:
        raise EvidenceError(f"the state digest does not verify with the log key: {exc}") from None
    try:
        signed = parse_state_digest(opened.text)
    except NoteFormatError as exc:
        raise EvidenceError(
            f"the state digest is not an accord-state-digest/v1 note: {exc}"
        ) from None
    checkpoint = _opened(evidence.later, verifier, "state digest's")
    if signed.origin != checkpoint.origin:
        raise EvidenceError(
            f"the state digest is of {signed.origin!r} and the checkpoint of"
            f" {checkpoint.origin!r}; evidence needs both of one log"
        )
    if (signed.size, signed.root) != (checkpoint.size, checkpoint.root):
        raise EvidenceError(
            f"the state digest names the tree of size {signed.size} with root"
            f" {_b64(signed.root)}, the checkpoint size {checkpoint.size} with root"
            f" {_b64(checkpoint.root)}; give the checkpoint of the digest's own tree"
        )
    if len(evidence.entries) != checkpoint.size:
        raise EvidenceError(
            f"the checkpoint is of {checkpoint.size} entries, the evidence gives"
            f" {len(evidence.entries)}"
        )
    computed = tree_root(evidence.entries)
    if computed != checkpoint.root:
        raise EvidenceError(
            f"the entries hash to the root {_b64(computed)}, not to the checkpoint's root"
            f" {_b64(checkpoint.root)}; they are not the log's entries"
        )
    replayed = _replayed_digest(evidence.entries, evidence.blobs)
    if replayed == signed.digest:
        raise EvidenceError(
            f"replaying the {checkpoint.size} entries reproduces the signed digest"
            f" {signed.digest}; the digest is true"
        )
    proves = (
        f"The log key signed the state digest {signed.digest} for the first {signed.size}"
        f" entries of {signed.origin!r} (signed at {signed.signed_at}), and its checkpoint of"
        f" that size; the entries given hash to that checkpoint's root, and replaying them"
        f" with Accord's own rules reaches the public digest {replayed}: the state the host"
        " publishes is not the one its log produces."
    )
    return Finding(
        "digest-not-reproduced",
        checkpoint.origin,
        checkpoint,
        checkpoint,
        proves,
        None,
        signed_digest=signed.digest,
        replayed_digest=replayed,
    )


def _replayed_digest(entries: tuple[bytes, ...], blobs: tuple[bytes, ...]) -> str:
    # Imported here: only this claim needs Django, and it configures it itself.
    from accord.ledger import scratch_replay  # noqa: PLC0415

    try:
        return scratch_replay.public_digest_of(entries, blobs)
    except scratch_replay.ReplayRefused as exc:
        raise EvidenceError(
            f"the entries do not replay ({exc}); a digest of entries that do not replay"
            " proves nothing about the digest"
        ) from None


def _opened(observation: Observation, verifier: note.Verifier, which: str) -> Checkpoint:
    try:
        checkpoint, _ = open_checkpoint(observation.checkpoint, [verifier])
    except TlogError as exc:
        raise EvidenceError(
            f"the {which} checkpoint does not verify with the log key: {exc}"
        ) from None
    return checkpoint


def _judge(evidence: Evidence, earlier: Checkpoint, later: Checkpoint) -> tuple[str, str]:
    origin, a, b = earlier.origin, earlier.size, later.size
    if a == b:
        if earlier.root == later.root:
            raise EvidenceError("the two checkpoints are the same tree; they prove nothing")
        return "different-roots", (
            f"The log key signed two checkpoints of {origin!r} for the same size {a} with"
            f" different roots ({_b64(earlier.root)} and {_b64(later.root)}): two different"
            " histories of the same entries. An honest log never signs both."
        )
    if b < a:
        return "rewind", (
            f"The log key signed a checkpoint of {origin!r} at size {a}, seen at"
            f" {evidence.earlier.location} on {evidence.earlier.seen or 'an unrecorded date'},"
            f" and one at the smaller size {b}, seen at {evidence.later.location} on"
            f" {evidence.later.seen or 'an unrecorded date'}: the log went back. The signatures"
            " prove that the log signed both; that the smaller one came later rests on the"
            " observer's record of when each was seen."
        )
    if evidence.prefix_root is None:
        raise EvidenceError(
            f"a checkpoint at size {a} and a larger one at size {b} prove nothing without"
            " the larger tree's proof of its first entries"
        )
    try:
        verify_consistency(a, b, evidence.prefix_proof, evidence.prefix_root, later.root)
    except TlogError as exc:
        raise EvidenceError(
            f"the prefix proof does not verify against the later checkpoint: {exc}"
        ) from None
    if evidence.prefix_root == earlier.root:
        raise EvidenceError(
            f"the tree at size {b} extends the one at size {a}; the checkpoints prove nothing"
        )
    return "not-consistent", (
        f"The log key signed a checkpoint of {origin!r} at size {a} and one at size {b}; the"
        f" consistency proof from the larger tree shows that its first {a} entries have the"
        f" root {_b64(evidence.prefix_root)}, not the root {_b64(earlier.root)} the smaller"
        " one signs, so the log rewrote history it had already signed. An honest log never"
        " signs both."
    )


def claim_of(evidence: Evidence) -> str:
    """The claim ``evidence`` makes, judged from its checkpoints' text without verifying them.

    What ``format`` writes as ``claim``; ``check`` is what proves it.
    """
    if evidence.receipt is not None:
        return "missing-entry"
    if evidence.state_digest is not None:
        return "digest-not-reproduced"
    earlier, later = (_parsed(o.checkpoint) for o in (evidence.earlier, evidence.later))
    if later.size < earlier.size:
        return "rewind"
    if later.size == earlier.size:
        return "different-roots"
    return "not-consistent"


def format(evidence: Evidence) -> str:  # noqa: A001 -- the format's writer, beside parse
    """The evidence as the documented JSON text, with the sentence of what it proves.

    The sentence comes from ``check``, so for ``digest-not-reproduced`` writing the file
    replays its entries once (O(n)).
    """
    earlier = _parsed(evidence.earlier.checkpoint)
    try:
        proves = check(evidence, evidence.log_key).proves
    except EvidenceError as exc:
        proves = f"Nothing: {exc}."
    claim = claim_of(evidence)
    document: dict[str, Any] = {
        "format": FORMAT,
        "claim": claim,
        "proves": proves,
        "origin": earlier.origin,
        "log_key": evidence.log_key,
    }
    if claim == "missing-entry":
        document |= {
            "receipt": evidence.receipt,
            "later": _observation_json(evidence.later),
            "served_leaf": None if evidence.served_leaf is None else _b64(evidence.served_leaf),
            "inclusion_proof": [_b64(h) for h in evidence.inclusion_proof],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if claim == "digest-not-reproduced":
        document |= {
            "state_digest": evidence.state_digest,
            "checkpoint": _observation_json(evidence.later),
            "entries": [_b64(entry) for entry in evidence.entries],
            "blobs": [_b64(blob) for blob in evidence.blobs],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    document |= {
        "earlier": _observation_json(evidence.earlier),
        "later": _observation_json(evidence.later),
        "prefix": None
        if evidence.prefix_root is None
        else {
            "root": _b64(evidence.prefix_root),
            "proof": [_b64(h) for h in evidence.prefix_proof],
        },
        "served_proof": None
        if evidence.served_proof is None
        else [_b64(h) for h in evidence.served_proof],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def parse(text: str) -> Evidence:
    """Read an evidence file; raises EvidenceError naming the first field that is wrong.

    Parsing checks the shape only; ``check`` is what verifies. The shape says the
    claim: a ``receipt`` field makes a ``missing-entry`` file, a ``state_digest``
    field a ``digest-not-reproduced`` one (the only kind allowed past
    MAX_EVIDENCE_BYTES, up to MAX_REPLAY_EVIDENCE_BYTES), two checkpoints a fork or
    a rewind; a file whose ``claim`` says otherwise is refused.
    """
    size = len(text.encode("utf-8"))
    carries_entries = '"state_digest"' in text
    limit = MAX_REPLAY_EVIDENCE_BYTES if carries_entries else MAX_EVIDENCE_BYTES
    if size > limit:
        raise EvidenceError(
            f"an evidence file is at most {MAX_EVIDENCE_BYTES} bytes, or"
            f" {MAX_REPLAY_EVIDENCE_BYTES} when it carries the entries behind a state digest"
        )
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise EvidenceError(f"evidence is not JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        found = document.get("format") if isinstance(document, dict) else None
        raise EvidenceError(f"expected an {FORMAT} evidence file, found format {found!r}")
    if size > MAX_EVIDENCE_BYTES and "state_digest" not in document:
        raise EvidenceError(f"an evidence file is at most {MAX_EVIDENCE_BYTES} bytes")
    if "receipt" in document and "state_digest" in document:
        raise EvidenceError("the evidence holds a receipt and a state digest; one claim a file")
    if "receipt" in document:
        evidence = _missing_entry_fields(document)
    elif "state_digest" in document:
        evidence = _digest_fields(document)
    else:
        evidence = _fork_fields(document)
    stated, shown = document.get("claim"), claim_of(evidence)
    if stated != shown:
        raise EvidenceError(f"the evidence claims {stated!r} but its checkpoints show {shown!r}")
    origin = _text(document, "origin")
    if origin != _parsed(evidence.earlier.checkpoint).origin:
        raise EvidenceError(f"the evidence names the log {origin!r}, its checkpoints another")
    return evidence


def _fork_fields(document: dict[str, Any]) -> Evidence:
    prefix = document.get("prefix")
    if prefix is not None and not isinstance(prefix, dict):
        raise EvidenceError("evidence prefix: expected an object or null")
    served = document.get("served_proof")
    return Evidence(
        log_key=_text(document, "log_key"),
        earlier=_observation(document.get("earlier"), "earlier"),
        later=_observation(document.get("later"), "later"),
        prefix_root=None if prefix is None else _hash(prefix.get("root"), "prefix root"),
        prefix_proof=() if prefix is None else _hashes(prefix.get("proof"), "prefix proof"),
        served_proof=None if served is None else _hashes(served, "served proof"),
    )


def _missing_entry_fields(document: dict[str, Any]) -> Evidence:
    return missing_entry(
        log_key=_text(document, "log_key"),
        receipt=_text(document, "receipt"),
        later=_observation(document.get("later"), "later"),
        served_leaf=_hash(document.get("served_leaf"), "served leaf"),
        inclusion_proof=_hashes(document.get("inclusion_proof"), "inclusion proof"),
    )


def _digest_fields(document: dict[str, Any]) -> Evidence:
    return digest_not_reproduced(
        log_key=_text(document, "log_key"),
        state_digest=_text(document, "state_digest"),
        checkpoint=_observation(document.get("checkpoint"), "checkpoint"),
        entries=_entries(document.get("entries")),
        blobs=_blobs(document.get("blobs", [])),
    )


def _entries(value: object) -> list[bytes]:
    if not isinstance(value, list):
        raise EvidenceError("evidence entries: expected a list of base64 entries")
    entries = []
    for index, item in enumerate(value):
        try:
            raw = base64.b64decode(item, validate=True) if isinstance(item, str) else None
        except binascii.Error:
            raw = None
        if raw is None or not 0 < len(raw) <= MAX_ENTRY_BYTES:
            raise EvidenceError(
                f"evidence entries[{index}]: expected the base64 of 1 to {MAX_ENTRY_BYTES} bytes"
            )
        entries.append(raw)
    return entries


def _blobs(value: object) -> list[bytes]:
    if not isinstance(value, list):
        raise EvidenceError("evidence blobs: expected a list of base64 blobs")
    found = []
    for index, item in enumerate(value):
        try:
            raw = base64.b64decode(item, validate=True) if isinstance(item, str) else None
        except binascii.Error:
            raw = None
        if raw is None:
            raise EvidenceError(f"evidence blobs[{index}]: expected base64")
        found.append(raw)
    return found


def _observation_json(observation: Observation) -> dict[str, Any]:
    return {
        "checkpoint": observation.checkpoint,
        "location": observation.location,
        "seen": observation.seen,
    }


def _observation(value: object, which: str) -> Observation:
    if not isinstance(value, dict):
        raise EvidenceError(f"evidence {which}: expected an object")
    seen = value.get("seen")
    if seen is not None and not isinstance(seen, str):
        raise EvidenceError(f"evidence {which} seen: expected a time or null")
    observation = Observation(
        _text(value, "checkpoint", which), _text(value, "location", which), seen
    )
    _parsed(observation.checkpoint)
    return observation


def _parsed(signed: str) -> Checkpoint:
    try:
        return Checkpoint.parse(note.split(signed)[0])
    except TlogError as exc:
        raise EvidenceError(f"evidence checkpoint: {exc}") from None


def _text(document: dict[str, Any], key: str, within: str = "") -> str:
    value = document.get(key)
    if not isinstance(value, str) or not value:
        raise EvidenceError(f"evidence {within} {key}: expected text".replace("  ", " "))
    return value


def _hash(value: object, what: str) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True) if isinstance(value, str) else b""
    except binascii.Error:
        raw = b""
    if len(raw) != HASH_SIZE:
        raise EvidenceError(f"evidence {what}: expected a base64 32-byte hash")
    return raw


def _hashes(value: object, what: str) -> tuple[bytes, ...]:
    if not isinstance(value, list) or len(value) > 63:
        raise EvidenceError(f"evidence {what}: expected a list of at most 63 hashes")
    return tuple(_hash(item, what) for item in value)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()
