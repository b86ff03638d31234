"""Replay: rebuild every projection from the log alone and compare digests.

Each entry is read back from its stored bytes, its leaf hash recomputed, its
signature verified, its body fetched (blobs from disk, checked against their
hash; restricted bodies from beside the log, for a full replay), and then
judged by ``admission.admit`` and applied by ``integrate.take_effect``, the
very steps ``submit`` runs. The rebuild happens in a transaction on the live
database that empties the projections first and is always rolled back: the
scratch state never outlives the digest, and the code under test is the code
in production. It holds the log lock while it runs (writers wait; readers do
not), about the time of one ``submit`` per entry without the signing.

A log that was honestly built replays without a refusal and reaches the live
database's digest; anything else names the first entry where it diverges,
including an entry row whose columns beside the leaf (``kind``, ``actor``,
``seq``, ``logged_at``, which pages and indexes read) say something its signed
bytes do not.
"""

import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from accord.ledger import blobs, digest, integrate, parallel
from accord.ledger.admission import FOUNDING_KIND, admit
from accord.ledger.envelope import Entry as EntryBytes
from accord.ledger.envelope import EnvelopeError, parse_time
from accord.ledger.errors import Rejected
from accord.ledger.models import Entry, LogState, RestrictedBody
from accord.ledger.wire import Submission
from accord.lib import canonical
from accord.tlog.merkle import leaf_hash


class Divergence(Exception):  # noqa: N818 -- what an auditor calls it
    """The log does not replay: the message names the entry and why."""


@dataclass(frozen=True)
class Replayed:
    entries: int
    public_digest: str
    full_digest: str


class _RolledBack(Exception):  # noqa: N818
    def __init__(self, result: Replayed) -> None:
        self.result = result


def replay(
    *,
    full: bool = True,
    size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Replayed:
    """Rebuild the projections from the log alone; returns their digests. Changes nothing.

    With ``size``, only the first ``size`` entries: the state as it stood when the log held
    that many, which an auditor compares with a digest published then.
    """
    try:
        with transaction.atomic():
            LogState.objects.select_for_update().filter(pk=1).first()
            held = {row.commitment: row for row in RestrictedBody.objects.all()} if full else {}
            rows = Entry.objects.order_by("index")
            if size is not None:
                rows = rows.filter(index__lt=size)
            entries = list(rows)
            if size is not None and len(entries) < size:
                raise Divergence(f"the log holds {len(entries)} entries, fewer than {size}")
            failures = parallel.check_leaves([bytes(row.leaf) for row in entries])
            for model in reversed(digest.PROJECTIONS):
                model._default_manager.all().delete()  # noqa: SLF001
            count = _replay(entries, failures, held, progress)
            _roll_back(Replayed(count, digest.digest(full=False), digest.digest(full=True)))
    except _RolledBack as done:
        return done.result
    raise AssertionError  # pragma: no cover -- _roll_back always raises


def _roll_back(result: Replayed) -> None:
    """Leave the transaction by an exception, so the rebuilt projections are discarded."""
    raise _RolledBack(result)


def _replay(
    entries: list[Entry],
    failures: list[str | None],
    held: dict[str, RestrictedBody],
    progress: Callable[[int, int], None] | None,
    state: LogState | None = None,
) -> int:
    start = state.size if state else 0
    for position, row in enumerate(entries):
        if row.index != start + position:
            raise Divergence(
                f"entry {start + position} is missing (found entry {row.index} in its place)"
            )
        leaf = bytes(row.leaf)
        if leaf_hash(leaf) != bytes(row.leaf_hash):
            raise Divergence(f"entry {row.index}: its stored leaf hash does not match its bytes")
        try:
            entry = EntryBytes.from_bytes(leaf)
        except EnvelopeError as exc:
            raise Divergence(f"entry {row.index}: {exc}") from None
        mismatch = column_mismatch(row, entry)
        if mismatch:
            raise Divergence(f"entry {row.index}: {mismatch}")
        if failures[position] is not None:
            reason = f"{failures[position]} (bad_signature)"
            raise Divergence(f"entry {row.index} would be refused: {reason}")
        submission = _submission(row.index, entry, held)
        if state is None:
            state = _found(entry)
        try:
            moment = parse_time(entry.logged_at)
            kind, ctx = admit(state, submission, moment, signature_checked=True)
        except Rejected as exc:
            raise Divergence(
                f"entry {row.index} would be refused: {exc.reason} ({exc.code})"
            ) from None
        # Through the module, so the step replay runs is provably the one submit runs.
        integrate.take_effect(state, kind, ctx, entry.logged_at, None)
        if progress:
            progress(position + 1, len(entries))
    return len(entries)


def replay_onto(
    leaves: Sequence[bytes],
    *,
    start: int,
    digests_at: Collection[int] = (),
    progress: Callable[[int, int], None] | None = None,
) -> dict[int, str]:
    """Append ``leaves`` as entries ``start``… of this database's log and apply them; kept.

    For a party's node, whose own database mirrors the host's log: each sync
    adds only the new entries, re-judged by ``admission.admit`` and applied by
    ``integrate.take_effect`` in the very loop ``replay`` runs, in one
    transaction (nothing is kept if one diverges: Divergence). No restricted
    body is held, so it is the *public* digest that it reproduces: returned
    after each size in ``digests_at`` that this call passes, and after the last
    entry. Costs what ``replay`` costs per entry, plus one read of every
    projection row per digest asked.
    """
    wanted = {size for size in digests_at if start < size <= start + len(leaves)}
    wanted.add(start + len(leaves))
    digests: dict[int, str] = {}

    def after(done: int, total: int) -> None:
        if start + done in wanted:
            digests[start + done] = digest.digest(full=False)
        if progress:
            progress(done, total)

    with transaction.atomic():
        state = LogState.objects.select_for_update().filter(pk=1).first()
        held = state.size if state else 0
        if held != start:
            raise Divergence(
                f"this database holds {held} entries; the entries given start at {start}"
            )
        rows = [_entry_row(start + offset, leaf) for offset, leaf in enumerate(leaves)]
        try:
            with transaction.atomic():
                Entry.objects.bulk_create(rows, batch_size=500)
        except IntegrityError:
            raise Divergence(
                "two entries are signed by one actor with one sequence number"
            ) from None
        failures = parallel.check_leaves(list(leaves))
        _replay(rows, failures, {}, after, state)
        if not leaves:
            digests[start] = digest.digest(full=False)
    return digests


def _entry_row(index: int, leaf: bytes) -> Entry:
    """The entry's row, its columns read with the stdlib's JSON parser (a tenth of the cost of
    the canonical one): ``_replay`` parses the leaf canonically and refuses a row whose
    columns are not what its signed bytes say, so nothing here is trusted."""
    try:
        document = json.loads(leaf)
        statement = document["statement"]
        logged_at, kind = document["logged_at"], statement["kind"]
        actor, seq = statement["actor"], statement["seq"]
    except (ValueError, KeyError, TypeError):
        raise Divergence(f"entry {index}: its bytes are not an entry") from None
    if [type(column) for column in (logged_at, kind, actor, seq)] != [str, str, str, int]:
        raise Divergence(f"entry {index}: its bytes are not an entry")
    return Entry(
        index=index,
        leaf=leaf,
        leaf_hash=leaf_hash(leaf),
        logged_at=logged_at,
        kind=kind,
        actor=actor,
        seq=seq,
    )


def column_mismatch(row: Entry, entry: EntryBytes) -> str | None:
    """The first column of an entry row that is not what its signed bytes say, as a sentence."""
    statement = entry.signed.statement
    columns: tuple[tuple[str, object, object], ...] = (
        ("kind", row.kind, statement.kind),
        ("actor", row.actor, statement.actor),
        ("seq", row.seq, statement.seq),
        ("logged_at", row.logged_at, entry.logged_at),
    )
    for column, stored, signed in columns:
        if stored != signed:
            return f"its {column} column says {stored!r}, its signed bytes say {signed!r}"
    return None


def _found(entry: EntryBytes) -> LogState:
    statement = entry.signed.statement
    if statement.kind != FOUNDING_KIND:
        raise Divergence("entry 0 does not found the log")
    body = statement.body
    return LogState.objects.create(
        origin=str(body.get("origin")),
        log_vkey=str(body.get("log_key")),
        secretariat=str(body.get("secretariat")),
    )


def _submission(index: int, entry: EntryBytes, held: dict[str, RestrictedBody]) -> Submission:
    statement = entry.signed.statement
    blob = None
    reference = blobs.parse_reference(statement.body)
    if reference is not None:
        try:
            blob = blobs.read(reference[0])
        except LookupError as exc:
            raise Divergence(f"entry {index}: {exc}") from None
    if statement.distribution != "restricted":
        return Submission(entry.signed, blob)
    body = canonical.parse(blob) if blob is not None else statement.body
    record = held.get(str(body.get("commitment")))
    if record is None:
        return Submission(entry.signed, blob, withheld=True)
    return Submission(entry.signed, blob, record.salt, canonical.parse(bytes(record.body)))
