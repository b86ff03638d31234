"""What a verifying client remembers about the logs it checked. No Django, no database.

``accord verify`` keeps, under ``ACCORD_VERIFY_STATE`` (default
``~/.local/state/accord/verify``), the last signed checkpoint it accepted from
each address and of each log, so that a different log served at a known
address, a changed log key and a rewritten history are all caught, and so
that a contradiction can be shown to others with both signed checkpoints::

    locations/<sha256 of the address>.json   what this address served last
    origins/<sha256 of the origin>.json      what this log (by origin) showed last, anywhere
    evidence/                                 evidence files (see accord.ledger.evidence)

Each record is one JSON object (documented in docs/evidence.md)::

    {"format": "accord-verify-state/v2", "location": ..., "origin": ..., "log_key": ...,
     "first_seen": <RFC 3339>, "seen": <RFC 3339>, "checkpoint": <signed note, verbatim>}

The size and root are read from the signed note, which is verified again on
every read, so a record cannot say one thing and sign another. Records are
written atomically (temporary file, fsync, rename, fsync of the folder): a
verify killed at any point leaves the previous record or the new one, whole.
Files named ``<sha256 of the origin>.json`` at the top are the first format
(origin, key, size and root, no note); they are read as origin records and
replaced by the current format on the next successful verify.
"""

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from accord.tlog import TlogError, note
from accord.tlog.checkpoint import Checkpoint, open_checkpoint

FORMAT = "accord-verify-state/v2"


class StateDamaged(Exception):  # noqa: N818 -- names the state file that must be looked at
    """A state file that cannot be read; the message names it."""


@dataclass(frozen=True)
class Sighting:
    """A log as this machine last accepted it: where, under which key, which checkpoint, when.

    ``checkpoint`` is None only for a record in the first format, which kept no note.
    """

    location: str
    origin: str
    log_key: str
    size: int
    root: bytes
    checkpoint: str | None
    first_seen: str | None
    seen: str | None

    @classmethod
    def of(
        cls, location: str, log_key: str, signed: str, checkpoint: Checkpoint, seen: str
    ) -> "Sighting":
        """A checkpoint seen now, at ``location``, verified with ``log_key``."""
        return cls(
            location,
            checkpoint.origin,
            log_key,
            checkpoint.size,
            checkpoint.root,
            signed,
            seen,
            seen,
        )


class Memory:
    """The records in one state folder. Reading costs one signature check per record."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def at_location(self, location: str) -> Sighting | None:
        return self._read(self._path("locations", location))

    def of_origin(self, origin: str) -> Sighting | None:
        current = self._read(self._path("origins", origin))
        if current is not None:
            return current
        return self._read_first_format(self._legacy_path(origin), origin)

    def remember(
        self, sighting: Sighting, *, location_since: str | None, origin_since: str | None
    ) -> None:
        """Keep ``sighting`` for its address and for its log; drops a first-format record.

        ``location_since`` and ``origin_since`` are when this log was first seen at
        this address and anywhere (None: now), kept so a refusal can say since when.
        """
        for kind, name, since in [
            ("locations", sighting.location, location_since),
            ("origins", sighting.origin, origin_since),
        ]:
            record = {
                "format": FORMAT,
                "location": sighting.location,
                "origin": sighting.origin,
                "log_key": sighting.log_key,
                "first_seen": since or sighting.seen,
                "seen": sighting.seen,
                "checkpoint": sighting.checkpoint,
            }
            data = (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode()
            write_atomically(self._path(kind, name), data)
        self._legacy_path(sighting.origin).unlink(missing_ok=True)

    def _path(self, kind: str, name: str) -> Path:
        return self.folder / kind / (hashlib.sha256(name.encode()).hexdigest() + ".json")

    def _legacy_path(self, origin: str) -> Path:
        return self.folder / (hashlib.sha256(origin.encode()).hexdigest() + ".json")

    def _read(self, path: Path) -> Sighting | None:
        record = _load(path)
        if record is None:
            return None
        if record.get("format") != FORMAT:
            found = record.get("format")
            raise StateDamaged(_damaged(path, f"expected format {FORMAT!r}, found {found!r}"))
        try:
            signed, key = str(record["checkpoint"]), str(record["log_key"])
            checkpoint, _ = open_checkpoint(signed, [note.Verifier(key)], str(record["origin"]))
            return Sighting(
                str(record["location"]),
                checkpoint.origin,
                key,
                checkpoint.size,
                checkpoint.root,
                signed,
                _optional(record.get("first_seen")),
                _optional(record.get("seen")),
            )
        except (KeyError, TlogError) as exc:
            raise StateDamaged(_damaged(path, exc)) from None

    def _read_first_format(self, path: Path, origin: str) -> Sighting | None:
        record = _load(path)
        if record is None:
            return None
        try:
            root = bytes.fromhex(str(record["root"]))
            return Sighting(
                "", origin, str(record["log_key"]), int(str(record["size"])), root, None, None, None
            )
        except (KeyError, ValueError) as exc:
            raise StateDamaged(_damaged(path, exc)) from None


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` at ``path`` so that a reader, or a crash, sees the old file or the new one.

    Costs two fsyncs (the file and its folder).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(data)
            output.flush()
            os.fsync(output.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def _load(path: Path) -> dict[str, object] | None:
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return None
    try:
        record = json.loads(text)
    except ValueError as exc:
        raise StateDamaged(_damaged(path, exc)) from None
    if not isinstance(record, dict):
        raise StateDamaged(_damaged(path, "expected a JSON object"))
    return record


def _optional(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _damaged(path: Path, exc: Exception | str) -> str:
    return (
        f"the state file {path} is damaged ({exc}); move it aside and verify again,"
        " pinning the log key with --log-key so that nothing is trusted on first use"
    )
