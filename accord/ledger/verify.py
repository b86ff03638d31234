"""``accord verify``: check a served or exported log from the outside. No Django, no database.

Given a URL (the log's prefix ``https://host/log`` or the forum's own address
``https://host/``) or a folder written by ``accord log export``:

1. the checkpoint's signature, against the key given (pinned), or the key this
   machine saw at that address or for that log before, or else the log's own
   ``key`` (trusted on first use, and said so); a known address that serves
   another log, or a known log under another key, is refused (LogChanged) with
   a sentence saying what was remembered, since when, and what is served now;
2. every entry bundle and hash tile, against a tree rebuilt from the entries,
   whose root must be the checkpoint's: every entry's inclusion at once;
3. consistency with the signed checkpoints this machine kept for the address
   and for the log (accord.ledger.memory); a contradiction writes both signed
   checkpoints to an evidence file (accord.ledger.evidence) and fails
   (ForkDetected); the new checkpoint is kept only if every check passes;
4. every statement's signature, against the keys the log itself registered;
5. every blob, against the hash and size its statement signs;
6. the witnesses' cosignatures on the checkpoint, under a tlog-policy: the
   auditor's own (``policy``), whose quorum must be met, or else the one the
   host publishes at ``witness-policy``, only reported, since a host that
   misbehaves can publish a policy its own witnesses meet.

The first failure stops it with a sentence naming what failed.
"""

import base64
import hashlib
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from accord.ledger import evidence
from accord.ledger.envelope import Entry, EnvelopeError
from accord.ledger.keyring import Keyring, KeyringError
from accord.ledger.memory import Memory, Sighting, StateDamaged, write_atomically
from accord.ledger.signed_notes import checkpoint_time
from accord.lib import canonical
from accord.tlog import TlogError, note
from accord.tlog.checkpoint import open_checkpoint
from accord.tlog.merkle import Tree
from accord.tlog.policy import Cosigned, Policy
from accord.tlog.tiles import (
    TILE_WIDTH,
    decode_entries,
    entries_path,
    tile_path,
    tiles_for_size,
)

Progress = Callable[[str, int, int], None]


class VerifyFailure(Exception):  # noqa: N818 -- what the auditor is told
    """The log failed a check; the message names the first failure."""


class Source(Protocol):
    def get(self, path: str) -> bytes | None:
        """The bytes at ``path`` under the log's prefix, or None if there are none."""
        ...


class FolderSource:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, path: str) -> bytes | None:
        target = self.folder / path
        return target.read_bytes() if target.is_file() else None


class HttpSource:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix.rstrip("/")

    def get(self, path: str) -> bytes | None:
        try:
            with urllib.request.urlopen(f"{self.prefix}/{path}", timeout=30) as response:  # noqa: S310
                data: bytes = response.read()
                return data
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise VerifyFailure(f"{self.prefix}/{path} answered HTTP {exc.code}") from None
        except urllib.error.URLError as exc:
            raise VerifyFailure(f"cannot reach {self.prefix}/{path}: {exc.reason}") from None


@dataclass(frozen=True)
class Quorum:
    """How the checkpoint stands under a witness policy.

    ``given`` says whose policy it is: the auditor's own file (True) or the one
    the host serves (False). ``missing`` names the policy's witnesses with no
    valid cosignature; ``since`` is when the log signed the checkpoint they
    have not cosigned (None for a log that does not say).
    """

    given: bool
    quorum: str
    met: bool
    cosigned: tuple[Cosigned, ...]
    missing: tuple[str, ...]
    since: str | None


@dataclass(frozen=True)
class Verified:
    origin: str
    size: int
    log_key: str
    key_trust: str
    blobs: int
    previous_size: int | None
    location: str = ""
    quorum: Quorum | None = None


class QuorumNotMet(VerifyFailure):
    """The checkpoint is not cosigned by the quorum of the auditor's policy."""


class LogChanged(VerifyFailure):
    """A known address serves another log, or a known log another key; says what changed."""


class ForkDetected(VerifyFailure):
    """The log contradicts a checkpoint it signed before; ``evidence`` is the file written."""

    def __init__(self, message: str, evidence: Path) -> None:
        super().__init__(message)
        self.evidence = evidence


def state_folder() -> Path:
    configured = os.environ.get("ACCORD_VERIFY_STATE")
    return (
        Path(configured) if configured else Path.home() / ".local" / "state" / "accord" / "verify"
    )


def _need(source: Source, path: str) -> bytes:
    data = source.get(path)
    if data is None:
        raise VerifyFailure(f"the log does not serve {path}")
    return data


def verify_log(
    location: str,
    *,
    log_key: str | None = None,
    progress: Progress | None = None,
    accept_new_log: bool = False,
    policy: Policy | None = None,
) -> Verified:
    """Run every check above on the log at ``location``; raises VerifyFailure.

    With ``policy`` the checkpoint must also meet its quorum (QuorumNotMet,
    checked before the entries are fetched, naming who is missing); the
    cosignatures cost one signature check each. ``accept_new_log`` (with a
    pinned ``log_key``) replaces what this machine remembered for the address,
    or for the log, under another key or origin: for a forum that really moved
    to a new log, once its key is checked out of band. Costs one HTTP request (or
    file read) per tile, bundle and blob.
    """
    if accept_new_log and not log_key:
        raise VerifyFailure(
            "--accept-new-log needs --log-key: pin the new log key you checked with the forum"
            " out of band, so that nothing is trusted on first use after a change"
        )
    source, address, signed = _locate(location)
    origin = signed.partition("\n")[0]
    memory = Memory(state_folder())
    here, known = _recall(memory, address, origin, log_key if accept_new_log else None)
    served = source.get("key")
    served_key = served.decode("utf-8", "replace").strip() or None if served else None
    key, trust, vouching = _choose_key(address, origin, log_key, served_key, (here, known))
    try:
        checkpoint, _ = open_checkpoint(signed, [note.Verifier(key)], origin)
    except TlogError as exc:
        if vouching is not None and served_key and served_key != key:
            raise LogChanged(_rekeyed(address, vouching, served_key)) from None
        raise VerifyFailure(f"the checkpoint does not verify with the log key: {exc}") from None
    quorum = _quorum(policy, signed, key) if policy else _served_quorum(source, signed, key)
    if policy is not None and quorum is not None and not quorum.met:
        raise QuorumNotMet(unmet(quorum))
    current = Sighting.of(address, key, signed, checkpoint, _now())
    sightings = [here] if here else []
    if known and (not here or known.checkpoint != here.checkpoint):
        sightings.append(known)
    for seen in sightings:
        _check_sizes(seen, current)
    entries = _entries(source, checkpoint.size, progress)
    tree = Tree()
    for leaf in entries:
        tree.append(leaf)
    if tree.root() != checkpoint.root:
        raise VerifyFailure("the entries served do not hash to the checkpoint's root")
    _check_tiles(source, tree, progress)
    for seen in sightings:
        _check_prefix(source, seen, current, tree)
    blob_count = _check_statements(source, entries, origin, progress)
    memory.remember(
        current,
        location_since=here.first_seen if here else None,
        origin_since=known.first_seen if known else None,
    )
    previous = max((seen.size for seen in sightings), default=None)
    return Verified(origin, checkpoint.size, key, trust, blob_count, previous, address, quorum)


def _quorum(policy: Policy, signed: str, key: str, *, given: bool = True) -> Quorum:
    """The checkpoint under ``policy``, whose log lines, if any, must include this log's key."""
    if policy.logs and key not in {log.vkey for log in policy.logs}:
        listed = ", ".join(log.vkey for log in policy.logs)
        whose = "the policy given" if given else "the witness policy the host serves"
        raise VerifyFailure(f"{whose} is for the log key {listed}, not this log's key {key}")
    try:
        witnessing = policy.check(signed, [key])
    except TlogError as exc:
        raise VerifyFailure(f"a cosignature on the checkpoint does not verify: {exc}") from None
    present = set(witnessing.witnesses)
    missing = tuple(w.name for w in policy.witnesses if w.name not in present)
    since = checkpoint_time(witnessing.checkpoint.extensions)
    return Quorum(given, policy.quorum, witnessing.met, witnessing.cosigned, missing, since)


def _served_quorum(source: Source, signed: str, key: str) -> Quorum | None:
    """The checkpoint under the policy the host publishes, if it publishes one that parses."""
    served = source.get("witness-policy")
    if served is None:
        return None
    try:
        policy = Policy.parse(served.decode("utf-8", "replace"))
    except TlogError as exc:
        raise VerifyFailure(f"the witness policy the log serves does not parse: {exc}") from None
    return _quorum(policy, signed, key, given=False)


def unmet(quorum: Quorum) -> str:
    """The sentence for a quorum not met: who cosigned, who is missing, and since when."""
    found = ", ".join(c.witness for c in quorum.cosigned) or "no witness"
    missing = ", ".join(quorum.missing) or "none"
    since = f" (the log signed it at {quorum.since})" if quorum.since else ""
    whose = "the policy given" if quorum.given else "the forum's witness policy"
    return (
        f"the checkpoint does not meet the quorum {quorum.quorum!r} of {whose}: cosigned by"
        f" {found}; missing {missing}{since}"
    )


def _recall(
    memory: Memory, address: str, origin: str, accepted_key: str | None
) -> tuple[Sighting | None, Sighting | None]:
    """What this machine saw at ``address`` and of ``origin``.

    With ``accepted_key`` (--accept-new-log), a sighting of another log or key is
    set aside, to be replaced once the new log verifies.
    """
    try:
        here, known = memory.at_location(address), memory.of_origin(origin)
    except StateDamaged as exc:
        raise VerifyFailure(str(exc)) from None
    if accepted_key is None:
        return here, known
    if here and (here.origin, here.log_key) != (origin, accepted_key):
        here = None
    if known and known.log_key != accepted_key:
        known = None
    return here, known


def _locate(location: str) -> tuple[Source, str, str]:
    """The source, the address it is remembered by, and its signed checkpoint.

    A URL may be the log's prefix (``…/log``) or the forum's own address, where
    the log is at ``/log``; both are remembered as the log's prefix. A folder
    is remembered by its absolute path.
    """
    source: Source
    if location.startswith(("http://", "https://")):
        address = _address(location)
        source = HttpSource(address)
        signed = source.get("checkpoint")
        if signed is None and not address.endswith("/log"):
            beside = HttpSource(address + "/log")
            signed = beside.get("checkpoint")
            if signed is not None:
                source, address = beside, address + "/log"
    else:
        folder = Path(location)
        if not folder.is_dir():
            raise VerifyFailure(f"{location} is neither a URL nor a folder")
        address = str(folder.resolve())
        source = FolderSource(Path(address))
        signed = source.get("checkpoint")
    if signed is None:
        raise VerifyFailure("the log does not serve checkpoint")
    return source, address, signed.decode("utf-8", "replace")


def _address(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.query or parts.fragment or not parts.netloc:
        raise VerifyFailure(
            f"{url} is not a log's address: give it as https://host/log, with no query or fragment"
        )
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _choose_key(
    address: str,
    origin: str,
    log_key: str | None,
    served_key: str | None,
    recalled: tuple[Sighting | None, Sighting | None],
) -> tuple[str, str, Sighting | None]:
    """The key to verify with, how far it is trusted, and the sighting that vouches for it."""
    here, known = recalled
    if here and here.origin != origin:
        raise LogChanged(_moved(address, here, origin, served_key))
    if log_key:
        for seen in (here, known):
            if seen and seen.log_key != log_key:
                raise LogChanged(
                    f"the key given ({log_key}) is not the key this machine saw for"
                    f" {_where(seen)} ({seen.log_key}); if the forum changed its log key and"
                    " you checked the new one with the forum out of band, run again with"
                    " --accept-new-log"
                )
        return log_key, "pinned", None
    if here and known and here.log_key != known.log_key:
        raise LogChanged(_rekeyed(address, known, here.log_key))
    vouching = here or known
    if vouching:
        return vouching.log_key, "remembered", vouching
    if served_key is None:
        raise VerifyFailure("the log does not serve key")
    return served_key, "trusted on first use: check this key with the forum out of band", None


def _where(seen: Sighting) -> str:
    place = f"the log {seen.origin!r}" + (f" at {seen.location}" if seen.location else "")
    return place + (f" on {seen.first_seen}" if seen.first_seen else "")


def _proceed(address: str) -> str:
    return (
        " A different log at a known address, or a new key, is how a host would hide a"
        " rewritten history. If the forum announced the change, check the new key with the"
        f" forum out of band and run: accord verify {address} --log-key NEWKEY --accept-new-log"
    )


def _moved(address: str, here: Sighting, origin: str, served_key: str | None) -> str:
    return (
        f"{address} served the log {here.origin!r} (key {here.log_key}) when this machine"
        f" first saw it on {here.first_seen}, last on {here.seen}; it now serves the log"
        f" {origin!r} (key {served_key or 'not served'})." + _proceed(address)
    )


def _rekeyed(address: str, seen: Sighting, served_key: str) -> str:
    since = f"first saw it on {seen.first_seen}" if seen.first_seen else "saw it before"
    if seen.location == address:
        told = (
            f"{address} served the log {seen.origin!r} signed with key {seen.log_key} when"
            f" this machine {since}; it now serves it with key {served_key}"
        )
    else:
        elsewhere = f" at {seen.location}" if seen.location else ""
        told = (
            f"the log {seen.origin!r} was signed with key {seen.log_key} when this machine"
            f" {since}{elsewhere}; {address} serves it with key {served_key}"
        )
    return (
        told + ", and its checkpoint does not verify with the remembered key." + (_proceed(address))
    )


_NO_NOTE = (
    "; this machine kept no signed checkpoint from then (a state file of the first format),"
    " so no evidence file was written"
)


def _check_sizes(seen: Sighting, current: Sighting) -> None:
    if current.size < seen.size:
        what = f"the log went back from {seen.size} to {current.size} entries"
        if seen.checkpoint is None:
            raise VerifyFailure(
                f"the log shrank: this machine saw {seen.size} entries, it now shows"
                f" {current.size}" + _NO_NOTE
            )
        raise _fork(what, seen, current)
    if current.size == seen.size and current.root != seen.root:
        if seen.checkpoint is None:
            raise VerifyFailure(
                f"the log's history changed since this machine saw it at size {seen.size}"
                + _NO_NOTE
            )
        raise _fork(f"the log shows another history of the same {seen.size} entries", seen, current)


def _check_prefix(source: Source, seen: Sighting, current: Sighting, tree: Tree) -> None:
    if not 0 < seen.size < current.size or tree.root(seen.size) == seen.root:
        return
    if seen.checkpoint is None:
        raise VerifyFailure(
            f"the log's history changed since this machine saw it at size {seen.size}" + _NO_NOTE
        )
    raise _fork(
        f"the log's first {seen.size} entries changed since this machine saw them",
        seen,
        current,
        (tree.root(seen.size), tuple(tree.consistency_proof(seen.size))),
        _served_proof(source, seen.size, current.size),
    )


def _served_proof(source: Source, old: int, new: int) -> tuple[bytes, ...] | None:
    """The consistency proof the log serves (``/log/proof/consistency/<old>/<new>``), if any."""
    try:
        data = source.get(f"proof/consistency/{old}/{new}")
        if data is None:
            return None
        hashes = json.loads(data)["proof"]
        return tuple(base64.b64decode(h, validate=True) for h in hashes)
    except (VerifyFailure, ValueError, KeyError, TypeError):
        return None


def _fork(
    what: str,
    seen: Sighting,
    current: Sighting,
    prefix: tuple[bytes, tuple[bytes, ...]] | None = None,
    served_proof: tuple[bytes, ...] | None = None,
) -> ForkDetected:
    """Write both signed checkpoints to an evidence file; the failure that names it.

    ``prefix`` is the larger tree's root for its first ``seen.size`` entries and
    the consistency proof of it, computed from the entries just checked.
    """
    assert seen.checkpoint is not None
    assert current.checkpoint is not None
    found = evidence.Evidence(
        current.log_key,
        evidence.Observation(seen.checkpoint, seen.location or "unrecorded", seen.seen),
        evidence.Observation(current.checkpoint, current.location, current.seen),
        prefix[0] if prefix else None,
        prefix[1] if prefix else (),
        served_proof,
    )
    text = evidence.format(found)
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    stamp = (current.seen or _now()).replace("-", "").replace(":", "")
    path = state_folder() / "evidence" / f"{stamp}-{evidence.claim_of(found)}-{digest}.json"
    write_atomically(path, text.encode())
    return ForkDetected(
        f"{what} ({current.location}). Both signed checkpoints are written to {path}: keep"
        " that file and show it to the other parties, who can check it with the log key"
        " alone (docs/evidence.md). This machine still trusts only the checkpoint it saw"
        " before.",
        path,
    )


def _entries(source: Source, size: int, progress: Progress | None) -> list[bytes]:
    entries: list[bytes] = []
    bundles = (size + TILE_WIDTH - 1) // TILE_WIDTH
    for index in range(bundles):
        width = min(TILE_WIDTH, size - index * TILE_WIDTH)
        path = entries_path(index, width)
        try:
            entries += decode_entries(_need(source, path), width)
        except TlogError as exc:
            raise VerifyFailure(f"{path}: {exc}") from None
        if progress:
            progress("entries", len(entries), size)
    return entries


def _check_tiles(source: Source, tree: Tree, progress: Progress | None) -> None:
    tiles = tiles_for_size(tree.size)
    for done, (level, index, width) in enumerate(tiles, 1):
        path = tile_path(level, index, width)
        if _need(source, path) != tree.tile(level, index, width):
            raise VerifyFailure(f"{path} does not match the entries")
        if progress:
            progress("tiles", done, len(tiles))


def _check_statements(
    source: Source, entries: list[bytes], origin: str, progress: Progress | None
) -> int:
    keyring = Keyring()
    blob_count = 0
    for index, leaf in enumerate(entries):
        try:
            entry = Entry.from_bytes(leaf)
            entry.signed.verify()
            keyring.admit(index, entry.signed)
        except (EnvelopeError, KeyringError) as exc:
            raise VerifyFailure(f"entry {index}: {exc}") from None
        statement = entry.signed.statement
        if statement.forum != origin:
            raise VerifyFailure(f"entry {index} belongs to {statement.forum!r}, not {origin!r}")
        body = statement.body
        reference = body.get("blob") if set(body) == {"blob", "size"} else None
        if isinstance(reference, str) and reference.startswith("sha256:"):
            body = _check_blob(source, index, reference[7:], body["size"])
            blob_count += 1
        keyring.observe(entry.signed, body)
        if progress:
            progress("statements", index + 1, len(entries))
    return blob_count


def _check_blob(source: Source, index: int, digest: str, size: object) -> dict[str, object]:
    data = _need(source, f"blob/{digest}")
    if hashlib.sha256(data).hexdigest() != digest or len(data) != size:
        raise VerifyFailure(f"entry {index}: blob {digest} does not match what the statement signs")
    try:
        value = canonical.parse(data)
    except canonical.CanonicalError as exc:
        raise VerifyFailure(f"entry {index}: blob {digest} is not canonical JSON: {exc}") from None
    return value if isinstance(value, dict) else {}
