"""A party's node: it mirrors the host's log, checks it, replays it, compares, and exchanges.

The state folder (docs/node.md)::

    DIR/node.json        what ``accord node init`` recorded: the log, the party, the log key
                         (pinned, or fetched once and printed), the witness folder, the peers
    DIR/log/             the mirror, in the C2SP static layout (``accord.witness.mirror``)
    DIR/node.sqlite3     the node's own database: every entry and every projection, replayed
    DIR/var/             what Django keeps beside that database (blobs, a secret key)
    DIR/digests.json     the public state digest the node replayed to, at the sizes it last
                         compared
    DIR/receipts/        receipts the party holds (accord-receipt/v1 notes), checked each sync
    DIR/evidence/        evidence files (accord-evidence/v1) the node wrote
    DIR/distrust.json    present once the host is no longer trusted: the claim, the sentence,
                         the evidence file; ``accord node reset`` removes it
    DIR/witness/         the party's witness, when init made it (else node.json names it)

One sync (``sync``): the host's checkpoint, verified with the log key; compared
with the checkpoint the node accepted last (a smaller size is a rewind, the same
size with another root a fork); the new entry bundles only, appended to the
tree of every leaf the node holds, whose root must be the new checkpoint's (a
host that rewrote its history is shown so by its own tiles and entries); the
changed tiles, the blobs; the receipts held; then the checkpoint is kept
verbatim, the new entries are replayed into the node's database with the code
``accord replay`` runs, and the host's signed state digest is compared; then each
peer's ``/node/checkpoint``. A contradiction the log key signed is written as
one evidence file, the host is marked untrusted, and every later sync refuses
(HostDistrusted) until the operator resets. Anything else that fails (the host
is down, serves bytes that do not check) proves nothing: the round fails with a
sentence (MirrorFailure) and the next one tries again.

Django is imported only by the replay step (``accord.witness.node_replay``).
"""

import base64
import hashlib
import http.client
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from accord.ledger import evidence, signed_notes
from accord.ledger.memory import write_atomically
from accord.ledger.verify import FolderSource, HttpSource, Source, VerifyFailure
from accord.tlog import TlogError, note
from accord.tlog.checkpoint import Checkpoint, open_checkpoint
from accord.tlog.merkle import Tree, leaf_hash
from accord.witness.folder import LogKey, WitnessFolder, WitnessFolderRefused
from accord.witness.mirror import (
    Mirror,
    MirrorFailure,
    Progress,
    check_tiles,
    fetch_blobs,
    fetch_leaf_hashes,
    fetch_leaves,
    need,
)

FORMAT = "accord-node/v1"
CONFIG_FILE = "node.json"
DISTRUST_FILE = "distrust.json"
DIGESTS_FILE = "digests.json"
DATABASE_FILE = "node.sqlite3"
VAR_FOLDER = "var"
MIRROR_FOLDER = "log"
RECEIPTS_FOLDER = "receipts"
EVIDENCE_FOLDER = "evidence"
WITNESS_FOLDER = "witness"
KEPT_DIGESTS = 64
"""How many (size, digest) pairs the node remembers, to compare a host's digest that lags."""
_PARTY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")


class NodeRefused(Exception):  # noqa: N818 -- what the operator is told
    """The folder cannot be made or used as a node; the message says why and what to do."""


class HostDistrusted(Exception):  # noqa: N818 -- what the operator is told
    """The host is no longer trusted; the message names the claim and the evidence file."""


@dataclass(frozen=True)
class NodeConfig:
    """What ``accord node init`` recorded in DIR/node.json."""

    log: str
    party: str
    log_key: str
    origin: str
    witness: str
    peers: tuple[str, ...] = ()

    def document(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "log": self.log,
            "party": self.party,
            "log_key": self.log_key,
            "origin": self.origin,
            "witness": self.witness,
            "peers": list(self.peers),
        }


@dataclass(frozen=True)
class Synced:
    """What one sync did, for the operator."""

    size: int
    previous: int
    blobs: int
    digest: str | None
    state_digest: str
    receipts: int
    peers: tuple[str, ...] = field(default=())


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class NodeFolder:
    """A node's state folder; see the module docstring for its files."""

    def __init__(self, path: Path, config: NodeConfig) -> None:
        self.path = path
        self.config = config
        self.mirror = Mirror(path / MIRROR_FOLDER)

    @classmethod
    def open(cls, path: Path) -> "NodeFolder":
        target = path / CONFIG_FILE
        if not target.is_file():
            raise NodeRefused(
                f"{path} is not a node's folder (it has no {CONFIG_FILE}); make one with"
                " accord node init URL --party CODE --state DIR"
            )
        try:
            document = json.loads(target.read_text(encoding="utf-8"))
            _check_format(document)
            config = NodeConfig(
                str(document["log"]),
                str(document["party"]),
                str(document["log_key"]),
                str(document["origin"]),
                str(document["witness"]),
                tuple(str(peer) for peer in document.get("peers", [])),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise NodeRefused(f"{target} is damaged ({exc}); restore it from a backup") from None
        return cls(path, config)

    # -- trust ---------------------------------------------------------------------------

    def distrust_record(self) -> dict[str, Any] | None:
        path = self.path / DISTRUST_FILE
        if not path.is_file():
            return None
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            record = None
        if not isinstance(record, dict):
            return {"sentence": f"{path} is damaged; the host is not trusted until it is reset"}
        return record

    def refuse_if_distrusted(self) -> None:
        record = self.distrust_record()
        if record is not None:
            raise HostDistrusted(str(record.get("sentence", "the host is not trusted")))

    def distrust(self, claim: str, what: str, found: evidence.Evidence | None) -> HostDistrusted:
        """Write the evidence (if any) and the record that the host is not trusted; the error."""
        written = self.write_evidence(found) if found is not None else None
        sentence = (
            f"The host {self.config.log} is no longer trusted: {what}."
            + (
                f" The evidence ({claim}) is in {written}; anyone can check it with"
                f" accord evidence check {written} --log-key {self.config.log_key}."
                if written
                else ""
            )
            + f" This node will not sync again until: accord node reset --state {self.path}"
        )
        record = {
            "claim": claim,
            "sentence": sentence,
            "evidence": str(written) if written else None,
            "since": now(),
        }
        write_atomically(
            self.path / DISTRUST_FILE, (json.dumps(record, indent=2) + "\n").encode("utf-8")
        )
        return HostDistrusted(sentence)

    def reset(self) -> dict[str, Any] | None:
        """Trust the host again (keeping every evidence file); the record removed, if any."""
        record = self.distrust_record()
        (self.path / DISTRUST_FILE).unlink(missing_ok=True)
        return record

    def write_evidence(self, found: evidence.Evidence) -> Path:
        text = evidence.format(found)
        digest = hashlib.sha256(text.encode()).hexdigest()[:12]
        stamp = now().replace("-", "").replace(":", "")
        path = self.path / EVIDENCE_FOLDER / f"{stamp}-{evidence.claim_of(found)}-{digest}.json"
        write_atomically(path, text.encode("utf-8"))
        return path

    # -- the rest of the folder -----------------------------------------------------------

    def source(self) -> Source:
        log = self.config.log
        if log.startswith(("http://", "https://")):
            return GuardedSource(HttpSource(log), log)
        return FolderSource(Path(log))

    def receipts(self) -> list[Path]:
        folder = self.path / RECEIPTS_FOLDER
        return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []

    def keep_receipt(self, given: Path) -> Path:
        text = given.read_text(encoding="utf-8")
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        target = self.path / RECEIPTS_FOLDER / f"{digest}.receipt"
        write_atomically(target, text.encode("utf-8"))
        return target

    def digests(self) -> dict[int, str]:
        path = self.path / DIGESTS_FILE
        if not path.is_file():
            return {}
        try:
            return {int(k): str(v) for k, v in json.loads(path.read_text("utf-8")).items()}
        except (ValueError, AttributeError):
            return {}

    def remember_digests(self, found: dict[int, str]) -> None:
        merged = self.digests() | found
        kept = dict(sorted(merged.items())[-KEPT_DIGESTS:])
        write_atomically(
            self.path / DIGESTS_FILE,
            (json.dumps({str(k): v for k, v in kept.items()}, indent=2) + "\n").encode(),
        )


def _check_format(document: Any) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        found = document.get("format") if isinstance(document, dict) else None
        raise ValueError(f"expected format {FORMAT!r}, found {found!r}")


class GuardedSource:
    """A source whose every failure to answer (a reset connection, a cut response, a
    timeout) is a VerifyFailure naming the address, so one bad round never kills the node."""

    def __init__(self, inner: Source, where: str) -> None:
        self.inner = inner
        self.where = where

    def get(self, path: str) -> bytes | None:
        try:
            return self.inner.get(path)
        except (OSError, http.client.HTTPException) as exc:
            raise VerifyFailure(f"{self.where}/{path} did not answer: {exc}") from None


def peer_source(url: str) -> Source:
    return GuardedSource(HttpSource(url), url)


# -- init ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Founded:
    node: NodeFolder
    size: int
    key_fetched: bool
    witness_keys: list[str]
    witness_made: bool


def locate(url: str) -> tuple[str, Source, bytes]:
    """The log's prefix (``…/log``, or a folder's absolute path), its source, its checkpoint."""
    if url.startswith(("http://", "https://")):
        prefix = url.rstrip("/")
        for candidate in (prefix, prefix + "/log"):
            source = HttpSource(candidate)
            try:
                signed = source.get("checkpoint")
            except VerifyFailure as exc:
                raise NodeRefused(str(exc)) from None
            if signed is not None:
                return candidate, source, signed
        raise NodeRefused(f"{url} serves no log: neither {prefix}/checkpoint nor /log/checkpoint")
    folder = Path(url)
    if not (folder / "checkpoint").is_file():
        raise NodeRefused(f"{url} is neither a URL nor a folder holding an exported log")
    return (
        str(folder.resolve()),
        FolderSource(folder.resolve()),
        (folder / "checkpoint").read_bytes(),
    )


def init_node(  # noqa: PLR0913 -- the options of accord node init, each one recorded
    state: Path,
    url: str,
    *,
    party: str,
    log_key: str | None = None,
    witness: Path | None = None,
    peers: Iterable[str] = (),
) -> Founded:
    """Make the node's folder: check the log at ``url`` and record what sync needs."""
    if not _PARTY.fullmatch(party):
        raise NodeRefused(f"{party!r} is not a party code (letters, digits, at most 32)")
    if state.exists() and (not state.is_dir() or any(state.iterdir())):
        if (state / CONFIG_FILE).is_file():
            raise NodeRefused(f"{state} is a node already; run accord node sync --state {state}")
        raise NodeRefused(
            f"{state} is not empty and is not a node's folder; give a new or empty folder"
        )
    prefix, source, signed = locate(url)
    fetched = log_key is None
    if log_key is None:
        served = source.get("key")
        if not served:
            raise NodeRefused(f"{prefix} does not serve its key; give it with --log-key VKEY")
        log_key = served.decode("utf-8", "replace").strip()
    try:
        checkpoint, _ = open_checkpoint(signed, [note.Verifier(log_key)])
    except TlogError as exc:
        raise NodeRefused(f"the log's checkpoint does not verify with the log key: {exc}") from None
    for peer in peers:
        if not peer.startswith(("http://", "https://")):
            raise NodeRefused(f"peer {peer!r} is not a node's URL (http://host:port)")
    state.mkdir(parents=True, exist_ok=True)
    witness_path = witness or state / WITNESS_FOLDER
    folder, made = _witness_for(witness_path, party, LogKey(log_key, checkpoint.origin))
    config = NodeConfig(
        prefix,
        party,
        log_key,
        checkpoint.origin,
        str(witness_path.resolve()),
        tuple(p.rstrip("/") for p in peers),
    )
    node = NodeFolder(state, config)
    node.mirror.keep_key(log_key)
    write_atomically(
        state / CONFIG_FILE, (json.dumps(config.document(), indent=2) + "\n").encode("utf-8")
    )
    return Founded(node, checkpoint.size, fetched, folder.verifier_keys(), made)


def _witness_for(path: Path, party: str, log: LogKey) -> tuple[WitnessFolder, bool]:
    """The party's witness at ``path`` (made if there is none), now serving ``log``."""
    try:
        if (path / "witness.key").is_file():
            folder, made = WitnessFolder.open(path), False
        else:
            folder, made = WitnessFolder.create(path, f"witness.{party.lower()}"), True
        folder.add_log_keys([log])
    except WitnessFolderRefused as exc:
        raise NodeRefused(str(exc)) from None
    return folder, made


# -- sync ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Round:
    """The checkpoint this round fetched, as observed, and the one accepted before."""

    signed: str
    checkpoint: Checkpoint
    seen: evidence.Observation
    accepted: str | None
    old: Checkpoint | None

    @property
    def old_size(self) -> int:
        return self.old.size if self.old else 0


def sync(node: NodeFolder, progress: Progress | None = None) -> Synced:
    """One sync; see the module docstring. Raises HostDistrusted or MirrorFailure."""
    node.refuse_if_distrusted()
    source = node.source()
    here = _fetch_checkpoint(node, source)
    tree = node.mirror.tree(here.old_size)
    leaves: list[bytes] = []
    if here.old is not None:
        _compare_with_accepted(node, here)
    if here.checkpoint.size > here.old_size:
        leaves = fetch_leaves(source, here.old_size, here.checkpoint.size, progress)
        for leaf in leaves:
            tree.append(leaf)
        if tree.root() != here.checkpoint.root:
            raise _rewritten(node, source, here)
        check_tiles(source, tree, here.old_size, progress)
    held = _check_receipts(node, here, tree, leaves)
    blobs = 0
    if leaves:
        beside = node.path / VAR_FOLDER / "blobs"
        blobs = fetch_blobs(
            source, node.mirror, leaves, here.old_size, progress=progress, beside=beside
        )
        node.mirror.extend(tree, leaves, here.old_size)
    if here.signed != here.accepted:
        node.mirror.accept(_with_cosignatures_kept(here))
    stated = _state_digest(node, source)
    from accord.witness import node_replay  # noqa: PLC0415 -- Django only for the replay

    wanted = {stated[1].size} if stated else set()
    digests = node_replay.catch_up(node, here.checkpoint.size, wanted, progress)
    node.remember_digests(digests)
    said = _compare_digest(node, here, stated, tree)
    peers = tuple(_exchange(node, peer, here, tree) for peer in node.config.peers)
    return Synced(
        here.checkpoint.size,
        here.old_size,
        blobs,
        digests.get(here.checkpoint.size),
        said,
        held,
        peers,
    )


def _with_cosignatures_kept(here: _Round) -> str:
    """The checkpoint to keep: the one served, but for the same checkpoint as the one
    accepted, every signature line of both.

    A host that serves the same checkpoint again with fewer witnesses' lines (to hide
    that a quorum had cosigned it, or by losing them) must not make the node's mirror
    and its ``/node/checkpoint`` forget cosignatures it held: all are signatures of
    the same text, so their union is as valid a note as either. At most
    ``note.MAX_SIGNATURES`` lines are kept, those accepted first.
    """
    if here.accepted is None or here.old is None:
        return here.signed
    if (here.old.size, here.old.root) != (here.checkpoint.size, here.checkpoint.root):
        return here.signed
    text, _, held = here.accepted.partition("\n\n")
    served_text, _, served = here.signed.partition("\n\n")
    if text != served_text:
        return here.signed
    lines = held.splitlines(keepends=True)
    lines += [line for line in served.splitlines(keepends=True) if line not in lines]
    return text + "\n\n" + "".join(lines[: note.MAX_SIGNATURES])


def _fetch_checkpoint(node: NodeFolder, source: Source) -> _Round:
    signed = need(source, "checkpoint").decode("utf-8", "replace")
    checkpoint = _opened(node, signed, node.config.log)
    accepted = node.mirror.checkpoint_note()
    old = node.mirror.checkpoint()
    return _Round(
        signed, checkpoint, evidence.Observation(signed, node.config.log, now()), accepted, old
    )


def _opened(node: NodeFolder, signed: str, where: str) -> Checkpoint:
    try:
        checkpoint, _ = open_checkpoint(
            signed, [note.Verifier(node.config.log_key)], node.config.origin
        )
    except TlogError as exc:
        raise MirrorFailure(
            f"the checkpoint {where} serves does not verify with the log key: {exc}"
        ) from None
    return checkpoint


def _accepted_seen(node: NodeFolder, here: _Round) -> evidence.Observation:
    assert here.accepted is not None
    path = node.mirror.folder / "checkpoint"
    seen = datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return evidence.Observation(here.accepted, node.config.log, seen)


def _compare_with_accepted(node: NodeFolder, here: _Round) -> None:
    assert here.old is not None
    old, new = here.old, here.checkpoint
    if new.size < old.size:
        found = evidence.Evidence(node.config.log_key, _accepted_seen(node, here), here.seen)
        raise node.distrust(
            "rewind",
            f"it served a checkpoint of {new.size} entries after one of {old.size} this node"
            " had accepted",
            found,
        )
    if new.size == old.size and new.root != old.root:
        found = evidence.Evidence(node.config.log_key, _accepted_seen(node, here), here.seen)
        raise node.distrust(
            "different-roots",
            f"it signed two different histories of the same {old.size} entries",
            found,
        )


def _rewritten(node: NodeFolder, source: Source, here: _Round) -> Exception:
    """The new entries do not extend the leaves held: prove the host rewrote history.

    Fetches the whole tree the host serves now (its level-0 tiles); if that tree
    hashes to the new checkpoint's root but not to the old one at the old size, the
    host's own tree shows it: not-consistent evidence, with the prefix root and
    consistency proof from that tree. Otherwise the entries served do not match the
    checkpoint, which proves nothing (MirrorFailure).
    """
    assert here.old is not None
    served = fetch_leaf_hashes(source, here.checkpoint.size)
    if served.root() != here.checkpoint.root:
        return MirrorFailure(
            f"the entries {node.config.log} serves do not hash to its checkpoint's root"
        )
    prefix = served.root(here.old.size)
    if prefix == here.old.root:
        return MirrorFailure(
            f"the entries {node.config.log} serves after entry {here.old.size} do not hash to"
            " its checkpoint's root"
        )
    found = evidence.Evidence(
        node.config.log_key,
        _accepted_seen(node, here),
        here.seen,
        prefix,
        tuple(served.consistency_proof(here.old.size)),
        _served_proof(source, here.old.size, here.checkpoint.size),
    )
    return node.distrust(
        "not-consistent",
        f"its tree of {here.checkpoint.size} entries does not begin with the {here.old.size}"
        " entries this node had accepted: it rewrote history it had signed",
        found,
    )


def _served_proof(source: Source, old: int, new: int) -> tuple[bytes, ...] | None:
    try:
        data = source.get(f"proof/consistency/{old}/{new}")
        if data is None:
            return None
        return tuple(base64.b64decode(h, validate=True) for h in json.loads(data)["proof"])
    except (VerifyFailure, ValueError, KeyError, TypeError):
        return None


# -- receipts -----------------------------------------------------------------------------


def _check_receipts(node: NodeFolder, here: _Round, tree: Tree, leaves: list[bytes]) -> int:
    """Each receipt the party holds names an entry the new checkpoint still has; the count."""
    verifier = note.Verifier(node.config.log_key)
    checked = 0
    for path in node.receipts():
        signed = path.read_text(encoding="utf-8", errors="replace")
        try:
            opened = note.open(signed, [verifier])
            receipt = signed_notes.parse_receipt(opened.text)
        except (TlogError, signed_notes.NoteFormatError):
            continue  # not a receipt this log signed: it proves nothing about this log
        if receipt.origin != node.config.origin:
            continue
        checked += 1
        size = here.checkpoint.size
        if receipt.index >= size:
            continue  # not yet under a checkpoint (a later one must hold it)
        served = (
            leaves[receipt.index - here.old_size]
            if receipt.index >= here.old_size
            else node.mirror.leaves(receipt.index, receipt.index + 1)[0]
        )
        if leaf_hash(served) == receipt.leaf_hash:
            continue
        found = evidence.missing_entry(
            log_key=node.config.log_key,
            receipt=signed,
            later=here.seen,
            served_leaf=leaf_hash(served),
            inclusion_proof=tuple(tree.inclusion_proof(receipt.index, size)),
        )
        raise node.distrust(
            "missing-entry",
            f"entry {receipt.index}, for which it signed a receipt on {receipt.logged_at}, is"
            f" not in its checkpoint of {size} entries (another entry stands in its place)",
            found,
        )
    return checked


# -- the state digest ---------------------------------------------------------------------


def _state_digest(
    node: NodeFolder, source: Source
) -> tuple[str, signed_notes.StateDigestText] | None:
    """The host's signed state digest, verified; None if it serves none (or an unsigned one)."""
    try:
        data = source.get("state-digest")
    except VerifyFailure:
        return None
    if data is None:
        return None
    signed = data.decode("utf-8", "replace")
    try:
        opened = note.open(signed, [note.Verifier(node.config.log_key)])
        stated = signed_notes.parse_state_digest(opened.text)
    except (TlogError, signed_notes.NoteFormatError):
        return None
    if stated.origin != node.config.origin:
        return None
    return signed, stated


def _compare_digest(
    node: NodeFolder,
    here: _Round,
    stated: tuple[str, signed_notes.StateDigestText] | None,
    tree: Tree,
) -> str:
    """Compare the host's signed digest with the one replay reached at its size; a sentence.

    Evidence needs the log's checkpoint of the digest's own size, so a digest is
    compared at the size of the checkpoint fetched now or the one accepted before.
    """
    if stated is None:
        return "The host publishes no signed state digest to compare with."
    signed, digest = stated
    replayed = node.digests().get(digest.size)
    checkpoint = {here.checkpoint.size: here.seen}
    if here.old is not None and here.accepted is not None:
        checkpoint.setdefault(here.old.size, _accepted_seen(node, here))
    if replayed is None or digest.size not in checkpoint:
        return (
            f"The host's state digest is for {digest.size} entries, not the size of a"
            " checkpoint this node holds; it is compared at a later sync."
        )
    if tree.root(digest.size) != digest.root:
        return (
            f"The host's state digest names a tree of {digest.size} entries that is not"
            " this node's; it is not compared."
        )
    if replayed == digest.digest:
        node.mirror.keep_state_digest(signed)
        return f"The host's state digest at {digest.size} entries is reproduced: {replayed}."
    entries = node.mirror.leaves(0, digest.size)
    found = evidence.digest_not_reproduced(
        log_key=node.config.log_key,
        state_digest=signed,
        checkpoint=checkpoint[digest.size],
        entries=entries,
        blobs=node.mirror.blobs_of(entries),
    )
    raise node.distrust(
        "digest-not-reproduced",
        f"it signed the state digest {digest.digest} for {digest.size} entries, and replaying"
        f" those entries gives {replayed}",
        found,
    )


# -- peers --------------------------------------------------------------------------------


def _exchange(node: NodeFolder, peer: str, here: _Round, tree: Tree) -> str:
    """Compare the peer's latest accepted checkpoint with this node's; a sentence."""
    try:
        data = peer_source(peer).get("node/checkpoint")
        if data is None:
            return f"Peer {peer}: it holds no checkpoint yet."
        signed = data.decode("utf-8", "replace")
        theirs = _opened(node, signed, peer)
    except (VerifyFailure, MirrorFailure) as exc:
        return f"Peer {peer}: not compared ({exc})."
    seen = evidence.Observation(signed, peer, now())
    mine = here.checkpoint
    if theirs.size == mine.size:
        if theirs.root == mine.root:
            return f"Peer {peer} holds the same {mine.size} entries."
        raise node.distrust(
            "different-roots",
            f"it showed the peer {peer} another history of the same {mine.size} entries",
            evidence.Evidence(node.config.log_key, here.seen, seen),
        )
    if theirs.size < mine.size:
        if tree.root(theirs.size) == theirs.root:
            return f"Peer {peer} holds the first {theirs.size} of this node's {mine.size} entries."
        found = evidence.Evidence(
            node.config.log_key,
            seen,
            here.seen,
            tree.root(theirs.size),
            tuple(tree.consistency_proof(theirs.size)),
        )
        raise node.distrust(
            "not-consistent",
            f"the {theirs.size} entries it showed the peer {peer} are not the first"
            f" {theirs.size} it showed this node",
            found,
        )
    return _exchange_larger(node, peer, here, theirs, seen)


def _exchange_larger(
    node: NodeFolder, peer: str, here: _Round, theirs: Checkpoint, seen: evidence.Observation
) -> str:
    """The peer holds more: its mirror's tree must begin with this node's."""
    mine = here.checkpoint
    try:
        their_tree = fetch_leaf_hashes(peer_source(f"{peer}/log"), theirs.size)
    except MirrorFailure as exc:
        return f"Peer {peer}: its mirror could not be read ({exc})."
    if their_tree.root() != theirs.root:
        return f"Peer {peer}: its mirror does not match its checkpoint; not compared."
    if their_tree.root(mine.size) == mine.root:
        return f"Peer {peer} holds {theirs.size} entries that extend this node's {mine.size}."
    found = evidence.Evidence(
        node.config.log_key,
        here.seen,
        seen,
        their_tree.root(mine.size),
        tuple(their_tree.consistency_proof(mine.size)),
    )
    raise node.distrust(
        "not-consistent",
        f"the {theirs.size} entries it showed the peer {peer} do not begin with the"
        f" {mine.size} it showed this node",
        found,
    )
