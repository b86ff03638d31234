"""The collector: the host asks the forum's witnesses to cosign its latest checkpoint.

Each round sends the latest signed checkpoint to every registered witness that has
not cosigned it yet, all in parallel, as c2sp.org/tlog-witness §"add-checkpoint"
says::

    POST <url>/add-checkpoint

    old <size the witness last cosigned>
    <consistency proof from that size, one base64 hash a line>

    <the log-signed checkpoint note>

``old`` is ``WitnessContact.cosigned_size``. A witness that holds another size answers
409 with that size as ``text/x.tlog.size``; it is asked once more, from that size and
with a proof from it (tlog-witness §"Conflicts"). Every cosignature line a witness
returns is verified against the keys its registration gives before anything is kept:
a witness answering junk, or lines under a key it was not registered with, stores
nothing and is recorded as failing, in words.

The log never waits for its witnesses: the checkpoint is signed and served before
collection starts, whatever the witnesses do. Network calls happen with no database
transaction open (all reads are done first, in the calling thread); what they
brought is written afterwards in one transaction. A witness that does not answer
within the round's time is recorded as failing and asked again next round, as are
all witnesses still missing from the latest checkpoint.
"""

import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction

from accord.ledger.envelope import format_time
from accord.ledger.hashes import StoredHashes
from accord.ledger.models import Checkpoint, Cosignature, WitnessContact
from accord.ledger.witnesses import WitnessEndpoint, Witnesses, current_witnesses
from accord.lib import clock
from accord.tlog import TlogError, note
from accord.tlog.cosignature import (
    CosignatureVerifier,
    MLDSACosignatureVerifier,
    witness_verifier,
)
from accord.tlog.policy import PolicyWitness
from accord.tlog.witness import SIZE_CONTENT_TYPE, AddCheckpointRequest

ADD_CHECKPOINT = "/add-checkpoint"
MAX_ANSWER_BYTES = 1 << 16
"""More than enough for a few ML-DSA-44 lines (about 3.3 kB each); more is junk."""
ALGORITHMS = {"Ed25519": "ed25519", "ML-DSA-44": "ml-dsa-44"}
"""How ``Cosignature.algorithm`` names each verifier's algorithm."""

CosignatureKey = CosignatureVerifier | MLDSACosignatureVerifier
PARTY_GROUP = "party+"
"""How the forum's policy names the group of one party's witnesses (``party+HU``)."""


@dataclass(frozen=True)
class Cosigned:
    """One verified cosignature line, ready to be kept."""

    vkey: str
    name: str
    algorithm: str
    timestamp: int
    line: str


@dataclass(frozen=True)
class Answer:
    """What one round trip brought back: verified cosignatures, or why there are none."""

    cosigned: tuple[Cosigned, ...] = ()
    error: str = ""
    conflict_size: int | None = None
    """The size a witness said it holds (409), for the retry and the next round."""


@dataclass
class Asking:
    """One witness's part of a round: what is sent, and the answer taken in time."""

    endpoint: WitnessEndpoint
    old_size: int
    proof: tuple[bytes, ...]
    answer: Answer = field(default_factory=Answer)
    answered_at: float = 0.0
    """``time.monotonic()`` when the answer taken came (and was verified)."""


class _Attempt:
    """One request in flight. Its thread writes ``answer`` and sets ``done``; the round
    reads it only if ``done`` was set in time, so a late answer is simply dropped."""

    def __init__(self) -> None:
        self.answer = Answer()
        self.done = threading.Event()
        self.finished_at = 0.0


@dataclass(frozen=True)
class Collection:
    """What a round did: the checkpoint asked about and each witness's outcome."""

    checkpoint: Checkpoint | None
    asked: tuple[str, ...] = ()
    cosigned: tuple[str, ...] = ()
    failed: dict[str, str] = field(default_factory=dict)
    """Witness name → what went wrong, in words."""
    started_failing: tuple[str, ...] = ()
    """The witnesses that failed this round after keeping up: worth telling the operator."""
    answered_after: dict[str, timedelta] = field(default_factory=dict)
    """Witness name → how long after the round began its verified cosignature was in."""


def contact_key(endpoint: WitnessEndpoint) -> str:
    """The key a witness's dealings are kept under: its first registered key."""
    return endpoint.vkeys[0]


def endpoint_keys(endpoint: WitnessEndpoint) -> dict[tuple[str, int], CosignatureKey]:
    """The verifiers of a witness's registered keys, by (key name, key ID); unusable keys
    are left out (the forum checked them at registration; a bad one verifies nothing)."""
    keys: dict[tuple[str, int], CosignatureKey] = {}
    for vkey in endpoint.vkeys:
        try:
            verifier = witness_verifier(vkey)
        except TlogError:
            continue
        keys[(verifier.name, verifier.key_id)] = verifier
    return keys


def collect(
    checkpoint: Checkpoint | None = None,
    *,
    within: timedelta | None = None,
    witnesses: Witnesses | None = None,
) -> Collection:
    """Ask every witness missing from ``checkpoint`` (the latest when None) to cosign it.

    Returns within ``within`` (twice the source's timeout when None: a request and
    its retry) whatever the witnesses do; a witness still silent then is recorded as
    failing and its late answer is dropped. Costs a few queries and one consistency
    proof per distinct old size before the network, one round trip per witness (two
    on a 409) in parallel, and one transaction after.
    """
    witnesses = witnesses if witnesses is not None else current_witnesses()
    checkpoint = checkpoint if checkpoint is not None else _latest()
    if checkpoint is None or not witnesses.endpoints:
        return Collection(checkpoint)
    timeout = timedelta(seconds=witnesses.timeout_seconds)
    began = time.monotonic()
    deadline = began + (within or 2 * timeout).total_seconds()
    askings = _askings(checkpoint, _missing(checkpoint, witnesses.endpoints))
    _ask_all(askings, checkpoint.note, timeout, deadline)
    retries = [a for a in askings if a.answer.conflict_size is not None]
    _ask_all(
        [r for r in retries if _prepare_retry(r, checkpoint)], checkpoint.note, timeout, deadline
    )
    started_failing = _keep(checkpoint, askings)
    return Collection(
        checkpoint,
        tuple(a.endpoint.name for a in askings),
        tuple(a.endpoint.name for a in askings if a.answer.cosigned),
        {a.endpoint.name: a.answer.error for a in askings if not a.answer.cosigned},
        started_failing,
        {
            a.endpoint.name: timedelta(seconds=a.answered_at - began)
            for a in askings
            if a.answer.cosigned
        },
    )


def _latest() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def _missing(
    checkpoint: Checkpoint, endpoints: tuple[WitnessEndpoint, ...]
) -> list[WitnessEndpoint]:
    """The witnesses none of whose keys has cosigned ``checkpoint`` yet; one query."""
    held = set(checkpoint.cosignatures.values_list("vkey", flat=True))
    return [
        endpoint
        for endpoint in endpoints
        if not any(verifier.vkey in held for verifier in endpoint_keys(endpoint).values())
    ]


def _askings(checkpoint: Checkpoint, endpoints: list[WitnessEndpoint]) -> list[Asking]:
    """Each witness's request: its ``old`` size and the proof from it; one query for the
    contacts, and one proof per distinct old size."""
    contacts = {
        c.vkey: c.cosigned_size
        for c in WitnessContact.objects.filter(vkey__in=[contact_key(e) for e in endpoints])
    }
    proofs: dict[int, tuple[bytes, ...]] = {}
    askings = []
    for endpoint in endpoints:
        old = contacts.get(contact_key(endpoint), 0)
        if not 0 <= old <= checkpoint.size:
            # The host's record says more than this checkpoint: ask from nothing, and
            # let the witness say (409) what it holds.
            old = 0
        if old not in proofs:
            proofs[old] = _proof(checkpoint, old)
        askings.append(Asking(endpoint, old, proofs[old]))
    return askings


def _proof(checkpoint: Checkpoint, old: int) -> tuple[bytes, ...]:
    if old in (0, checkpoint.size):
        return ()
    return tuple(StoredHashes(checkpoint.size).consistency_proof(old))


def _prepare_retry(asking: Asking, checkpoint: Checkpoint) -> bool:
    """Set a 409'd request up again from the size the witness holds, if that can be done."""
    size = asking.answer.conflict_size
    if size is None:
        return False
    if size > checkpoint.size:
        asking.answer = Answer(
            error=f"the witness has cosigned size {size}, beyond this checkpoint's size"
            f" {checkpoint.size}: it has seen a larger tree for this log"
        )
        return False
    asking.old_size, asking.proof = size, _proof(checkpoint, size)
    return True


def _ask_all(
    askings: list[Asking], checkpoint_note: str, timeout: timedelta, deadline: float
) -> None:
    """Send every request in its own thread; take each answer that comes by ``deadline``."""
    attempts = []
    for asking in askings:
        attempt = _Attempt()
        body = AddCheckpointRequest(asking.old_size, asking.proof, checkpoint_note).format()
        seconds = max(0.001, min(timeout.total_seconds(), deadline - time.monotonic()))
        threading.Thread(
            target=_ask,
            args=(attempt, asking, body.encode("utf-8"), checkpoint_note, seconds, timeout),
            name=f"cosigning {asking.endpoint.name}",
            daemon=True,
        ).start()
        attempts.append(attempt)
    for asking, attempt in zip(askings, attempts, strict=True):
        if attempt.done.wait(max(0.0, deadline - time.monotonic())):
            asking.answer, asking.answered_at = attempt.answer, attempt.finished_at
        else:
            asking.answer = Answer(error=_silent(timeout))


def _ask(  # noqa: PLR0913, PLR0917 -- one thread's whole errand, as Thread passes it
    attempt: _Attempt,
    asking: Asking,
    body: bytes,
    checkpoint_note: str,
    seconds: float,
    timeout: timedelta,
) -> None:
    """One round trip; writes what came back on ``attempt`` (runs in its own thread and
    touches no database)."""
    try:
        status, content_type, data = _post(asking.endpoint.url + ADD_CHECKPOINT, body, seconds)
        if status == 200:
            attempt.answer = Answer(_verified(asking.endpoint, checkpoint_note, data))
        elif status == 409 and content_type.startswith(SIZE_CONTENT_TYPE):
            size = _size(data)
            attempt.answer = Answer(
                error=f"the witness holds size {size}, not {asking.old_size}", conflict_size=size
            )
        else:
            attempt.answer = Answer(error=f"answered {status}: {_shown(data)}")
    except Junk as exc:
        attempt.answer = Answer(error=str(exc))
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        if isinstance(reason, TimeoutError):
            attempt.answer = Answer(error=_silent(timeout))
        else:
            attempt.answer = Answer(error=f"could not be reached: {reason}")
    finally:
        attempt.finished_at = time.monotonic()
        attempt.done.set()


def _silent(timeout: timedelta) -> str:
    return f"did not answer within {timeout.total_seconds():g} seconds"


class Junk(Exception):  # noqa: N818 -- what the host records of the witness
    """A witness's answer that is not what tlog-witness says it must be."""


def _post(url: str, body: bytes, seconds: float) -> tuple[int, str, bytes]:
    request = urllib.request.Request(  # noqa: S310 -- the forum registered an http(s) URL
        url, data=body, method="POST", headers={"Content-Type": "text/plain; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=seconds) as response:  # noqa: S310
            return response.status, response.headers.get("Content-Type", ""), _read(response)
    except urllib.error.HTTPError as refused:
        with refused:
            return refused.code, refused.headers.get("Content-Type", ""), _read(refused)


def _read(response: object) -> bytes:
    data: bytes = response.read(MAX_ANSWER_BYTES + 1)  # type: ignore[attr-defined]
    if len(data) > MAX_ANSWER_BYTES:
        raise Junk(f"answered more than {MAX_ANSWER_BYTES} bytes")
    return data


def _size(answer: bytes) -> int:
    text = answer.decode("ascii", "replace")
    if not text.endswith("\n") or not text[:-1].isdigit() or text != f"{int(text)}\n":
        raise Junk(f"answered 409 with {_shown(answer)!r}, which is not a size")
    return int(text)


def _shown(answer: bytes) -> str:
    return answer.decode("utf-8", "replace").strip()[:200] or "an empty body"


def _verified(
    endpoint: WitnessEndpoint, checkpoint_note: str, answer: bytes
) -> tuple[Cosigned, ...]:
    """The cosignature lines of a 200 answer, each verified against the witness's keys.

    Raises Junk when the answer is not signature lines, holds a line from a key the
    witness was not registered with, or a line that does not verify: then nothing of
    it is kept.
    """
    text, _ = note.split(checkpoint_note)
    try:
        _, lines = note.split(text + "\n" + answer.decode("utf-8"))
    except (UnicodeDecodeError, TlogError):
        raise Junk(f"answered 200 with {_shown(answer)!r}, which is not cosignatures") from None
    keys = endpoint_keys(endpoint)
    found = []
    for line in lines:
        verifier = keys.get((line.name, line.key_id))
        if verifier is None:
            raise Junk(f"cosigned with a key it was not registered with ({line.name})")
        if not verifier.verify(text.encode("utf-8"), line.signature):
            raise Junk(f"sent a cosignature by {line.name} that does not verify")
        found.append(
            Cosigned(
                verifier.vkey,
                line.name,
                ALGORITHMS[verifier.algorithm],
                verifier.timestamp(line.signature),
                line.line(),
            )
        )
    return tuple(found)


def _keep(checkpoint: Checkpoint, askings: list[Asking]) -> tuple[str, ...]:
    """Store the cosignatures and each witness's dealings, in one transaction; the names
    of the witnesses that started failing. Five queries, whatever the number of witnesses
    that cosigned, and one more for each that failed or changed its name or URL."""
    moment = format_time(clock.now())
    with transaction.atomic():
        Cosignature.objects.bulk_create(
            [
                Cosignature(
                    checkpoint=checkpoint,
                    name=one.name,
                    vkey=one.vkey,
                    algorithm=one.algorithm,
                    timestamp=one.timestamp,
                    line=one.line,
                    received_at=moment,
                )
                for asking in askings
                for one in asking.answer.cosigned
            ],
            ignore_conflicts=True,
        )
        keys = {contact_key(asking.endpoint): asking for asking in askings}
        WitnessContact.objects.bulk_create(
            [
                WitnessContact(vkey=key, name=a.endpoint.name, url=a.endpoint.url)
                for key, a in keys.items()
            ],
            ignore_conflicts=True,
        )
        contacts = list(WitnessContact.objects.select_for_update().filter(vkey__in=keys))
        # The usual case, a witness that cosigned under its known name and URL, is one
        # UPDATE for all of them; the others (failures, renamed) are saved one by one.
        kept_up = {c.vkey for c in contacts if _kept_up(c, keys[c.vkey])}
        WitnessContact.objects.filter(vkey__in=kept_up).update(
            cosigned_size=checkpoint.size, cosigned_at=moment, last_error="", failing_since=""
        )
        started = []
        for contact in contacts:
            if contact.vkey not in kept_up:
                if _record(contact, keys[contact.vkey], checkpoint.size, moment):
                    started.append(contact.name)
                contact.save()
    return tuple(started)


def _kept_up(contact: WitnessContact, asking: Asking) -> bool:
    endpoint = asking.endpoint
    return bool(asking.answer.cosigned) and (contact.name, contact.url) == (
        endpoint.name,
        endpoint.url,
    )


def _record(contact: WitnessContact, asking: Asking, size: int, moment: str) -> bool:
    """Update one witness's dealings in memory; True when it failed after keeping up."""
    endpoint, answer = asking.endpoint, asking.answer
    contact.name, contact.url = endpoint.name, endpoint.url
    if answer.cosigned:
        contact.cosigned_size, contact.cosigned_at = size, moment
        contact.last_error = contact.failing_since = ""
        return False
    if answer.conflict_size is not None and answer.conflict_size <= size:
        contact.cosigned_size = answer.conflict_size
    contact.last_error = answer.error
    if contact.failing_since:
        return False
    contact.failing_since = moment
    return True


# -- what the latest checkpoint shows ------------------------------------------------------------


@dataclass(frozen=True)
class MissingWitness:
    """A witness of the policy that has not cosigned the checkpoint, and since when it fails."""

    name: str
    party: str
    """The code of the party whose witness it is; empty when no registration names it."""
    failing_since: str
    """When it first failed after its last success; empty when it was not asked yet."""
    last_error: str
    registered: bool = True
    """False for a name the policy holds for a party that has registered no witness."""


@dataclass(frozen=True)
class Standing:
    """The latest checkpoint with its verified cosignatures, and the policy's verdict.

    ``policy`` is False when the forum has no witness policy; ``met`` is then True
    (tlog-policy's ``quorum none``) and nothing is missing.
    """

    checkpoint: Checkpoint
    cosignatures: tuple[Cosignature, ...]
    policy: bool
    met: bool
    missing: tuple[MissingWitness, ...]

    @property
    def note(self) -> str:
        """The log-signed note followed by the cosignature lines (a valid C2SP note).

        At most ``note.MAX_SIGNATURES - 1`` lines are appended (Go's note parser and
        ours read no more than 100 signatures): the policy's keys first, then the
        other Ed25519 lines, which every C2SP client reads, then the rest.
        """
        return self.checkpoint.note + "".join(c.line for c in self.cosignatures)


def standing(
    checkpoint: Checkpoint | None = None, witnesses: Witnesses | None = None
) -> Standing | None:
    """What ``checkpoint`` (the latest when None) shows under the forum's policy; None when
    the log has signed no checkpoint. Costs the source's queries and three more."""
    checkpoint = checkpoint if checkpoint is not None else _latest()
    if checkpoint is None:
        return None
    witnesses = witnesses if witnesses is not None else current_witnesses()
    rows = list(checkpoint.cosignatures.order_by("pk"))
    policy = witnesses.policy
    if policy is None:
        return Standing(checkpoint, _served(rows, set()), policy=False, met=True, missing=())
    names = {witness.vkey: witness.name for witness in policy.witnesses}
    cosigned = {names[row.vkey] for row in rows if row.vkey in names}
    missing = [w for w in policy.witnesses if w.name not in cosigned]
    return Standing(
        checkpoint,
        _served(rows, set(names)),
        policy=True,
        met=policy.witnessed(cosigned),
        missing=_missing_witnesses(
            missing,
            witnesses.endpoints,
            {member: group.name for group in policy.groups for member in group.members},
        ),
    )


def _served(rows: list[Cosignature], policy_keys: set[str]) -> tuple[Cosignature, ...]:
    ranked = sorted(rows, key=lambda row: (row.vkey not in policy_keys, row.algorithm != "ed25519"))
    return tuple(ranked[: note.MAX_SIGNATURES - 1])


def _missing_witnesses(
    missing: list[PolicyWitness], endpoints: tuple[WitnessEndpoint, ...], groups: dict[str, str]
) -> tuple[MissingWitness, ...]:
    by_key = {
        verifier.vkey: endpoint
        for endpoint in endpoints
        for verifier in endpoint_keys(endpoint).values()
    }
    found = [(witness, by_key.get(witness.vkey)) for witness in missing]
    keys = [contact_key(endpoint) for _, endpoint in found if endpoint is not None]
    contacts = {c.vkey: c for c in WitnessContact.objects.filter(vkey__in=keys)}
    result = []
    for witness, endpoint in found:
        contact = contacts.get(contact_key(endpoint)) if endpoint else None
        party = endpoint.party if endpoint else _party_of_group(groups.get(witness.name, ""))
        result.append(
            MissingWitness(
                witness.name,
                party,
                contact.failing_since if contact else "",
                contact.last_error if contact else "",
                registered=endpoint is not None,
            )
        )
    return tuple(result)


def _party_of_group(group: str) -> str:
    """The party a policy group stands for, when the forum names it ``party+<CODE>``."""
    return group.removeprefix(PARTY_GROUP) if group.startswith(PARTY_GROUP) else ""
