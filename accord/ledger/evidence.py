"""Evidence that a log misbehaved: two checkpoints it signed that no honest log signs both.

``accord verify`` writes one when what a log serves contradicts what this
machine saw before; anyone holding the log's key re-checks it with this module
and ``accord.tlog`` alone (no Django, no network, no trust in whoever wrote
it). The format is documented in docs/evidence.md::

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

``check`` re-derives the claim from the signed checkpoints and the proof and
trusts nothing else in the file: the ``claim`` and ``proves`` fields are for
readers, and a file whose stated claim is not what its checkpoints show is
refused. Checking costs two signature verifications and at most 126 hashes.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from accord.tlog import TlogError, note
from accord.tlog.checkpoint import Checkpoint, open_checkpoint
from accord.tlog.merkle import HASH_SIZE, verify_consistency

FORMAT = "accord-evidence/v1"
MAX_EVIDENCE_BYTES = 4 * note.MAX_NOTE_BYTES
"""Two notes of at most 1 MiB each, two short proofs and names: more is refused unread."""
CLAIMS = ("different-roots", "not-consistent", "rewind")


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
    """Two checkpoints signed by ``log_key``, the earlier seen first, and any proof about them.

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


@dataclass(frozen=True)
class Finding:
    """What a checked evidence file proves."""

    claim: str
    origin: str
    earlier: Checkpoint
    later: Checkpoint
    proves: str
    served_proof_verifies: bool | None


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
    earlier, later = (_parsed(o.checkpoint) for o in (evidence.earlier, evidence.later))
    if later.size < earlier.size:
        return "rewind"
    if later.size == earlier.size:
        return "different-roots"
    return "not-consistent"


def format(evidence: Evidence) -> str:  # noqa: A001 -- the format's writer, beside parse
    """The evidence as the documented JSON text, with the sentence of what it proves."""
    earlier = _parsed(evidence.earlier.checkpoint)
    try:
        proves = check(evidence, evidence.log_key).proves
    except EvidenceError as exc:
        proves = f"Nothing: {exc}."
    document: dict[str, Any] = {
        "format": FORMAT,
        "claim": claim_of(evidence),
        "proves": proves,
        "origin": earlier.origin,
        "log_key": evidence.log_key,
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

    Parsing checks the shape only; ``check`` is what verifies.
    """
    if len(text.encode("utf-8")) > MAX_EVIDENCE_BYTES:
        raise EvidenceError(f"an evidence file is at most {MAX_EVIDENCE_BYTES} bytes")
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise EvidenceError(f"evidence is not JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        found = document.get("format") if isinstance(document, dict) else None
        raise EvidenceError(f"expected an {FORMAT} evidence file, found format {found!r}")
    prefix = document.get("prefix")
    if prefix is not None and not isinstance(prefix, dict):
        raise EvidenceError("evidence prefix: expected an object or null")
    served = document.get("served_proof")
    evidence = Evidence(
        log_key=_text(document, "log_key"),
        earlier=_observation(document.get("earlier"), "earlier"),
        later=_observation(document.get("later"), "later"),
        prefix_root=None if prefix is None else _hash(prefix.get("root"), "prefix root"),
        prefix_proof=() if prefix is None else _hashes(prefix.get("proof"), "prefix proof"),
        served_proof=None if served is None else _hashes(served, "served proof"),
    )
    stated, shown = document.get("claim"), claim_of(evidence)
    if stated != shown:
        raise EvidenceError(f"the evidence claims {stated!r} but its checkpoints show {shown!r}")
    origin = _text(document, "origin")
    if origin != _parsed(evidence.earlier.checkpoint).origin:
        raise EvidenceError(f"the evidence names the log {origin!r}, its checkpoints another")
    return evidence


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
