"""A WitnessStore on disk: one file per log origin, replaced atomically and durably.

A witness that forgets what it cosigned, or remembers an older state after a
crash, can be made to cosign a rollback or a fork. So each record is written
to a temporary file, fsynced, renamed over the old record and the folder is
fsynced, all before ``compare_and_swap`` returns, so before the witness
answers 200 (c2sp.org/tlog-witness, "The witness MUST persist the new
checkpoint before responding"). The check and the write happen under a lock
held by the process (threads) and an ``fcntl.flock`` on a lock file (other
processes serving the same folder), which closes the race the spec spells out.

A record is the log-signed checkpoint note, verbatim: its size and root are
read back from it, and it is evidence if the log later signs something
inconsistent with it. Costs per update: one read, one write and two fsyncs.
"""

import contextlib
import fcntl
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from accord.tlog import TlogError, note
from accord.tlog.checkpoint import Checkpoint
from accord.tlog.witness import WitnessedCheckpoint

TEMPORARY_PREFIX = ".tmp-"


class WitnessStateDamaged(Exception):  # noqa: N818 -- what the operator is told
    """A state file cannot be read back as the checkpoint it should hold."""


def replace_durably(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` so that after a crash it holds the old bytes or the new.

    Temporary file beside ``path``, fsync, ``os.replace``, fsync of the folder:
    two fsyncs.
    """
    descriptor, name = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as output:
            os.fchmod(output.fileno(), mode)
            output.write(data)
            output.flush()
            os.fsync(output.fileno())
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """fsync a folder, so a rename or a new file in it survives a crash."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def state_file_name(origin: str) -> str:
    """The file holding ``origin``'s record: hex SHA-256 of the origin (any origin is safe)."""
    return hashlib.sha256(origin.encode("utf-8")).hexdigest()


class FileWitnessStore:
    """Per origin, the last checkpoint this witness cosigned, in ``states``.

    ``lock`` is the file every process serving the same folder locks around a
    compare-and-swap. ``latest`` takes no lock: a rename is atomic, so it sees
    the old record or the new one, and ``compare_and_swap`` checks again.
    """

    def __init__(self, states: Path, lock: Path) -> None:
        self.states = states
        self.lock = lock
        self._thread_lock = threading.Lock()

    def latest(self, origin: str) -> WitnessedCheckpoint | None:
        return self._read(origin)

    def compare_and_swap(
        self, origin: str, old_size: int, new: WitnessedCheckpoint
    ) -> WitnessedCheckpoint | None:
        """Store ``new`` if the stored size is ``old_size``, durably, before returning None."""
        with self.locked():
            current = self._read(origin)
            if (current.size if current else 0) != old_size:
                return current
            replace_durably(self.states / state_file_name(origin), new.note.encode("utf-8"))
            return None

    def origins(self) -> dict[str, WitnessedCheckpoint]:
        """Every record, by origin; reads (and so checks) each state file."""
        found = {}
        for path in sorted(self.states.iterdir()):
            if path.name.startswith(TEMPORARY_PREFIX):
                continue
            origin, record = self._parse(path)
            if path.name != state_file_name(origin):
                raise WitnessStateDamaged(f"{path} holds a checkpoint for {origin!r}")
            found[origin] = record
        return found

    def remove_leftovers(self) -> int:
        """Delete temporary files a killed process left behind; how many there were."""
        with self.locked():
            leftovers = [p for p in self.states.iterdir() if p.name.startswith(TEMPORARY_PREFIX)]
            for path in leftovers:
                path.unlink()
            return len(leftovers)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the folder: this process's threads and every other process serving it wait."""
        with self._thread_lock, open(self.lock, "ab") as handle:  # noqa: PTH123
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _read(self, origin: str) -> WitnessedCheckpoint | None:
        path = self.states / state_file_name(origin)
        if not path.exists():
            return None
        found, record = self._parse(path)
        if found != origin:
            raise WitnessStateDamaged(f"{path} holds a checkpoint for {found!r}, not {origin!r}")
        return record

    @staticmethod
    def _parse(path: Path) -> tuple[str, WitnessedCheckpoint]:
        try:
            signed = path.read_text(encoding="utf-8")
            text, _ = note.split(signed)
            checkpoint = Checkpoint.parse(text)
        except (OSError, UnicodeDecodeError, TlogError) as exc:
            raise WitnessStateDamaged(f"{path} is not a signed checkpoint: {exc}") from None
        return checkpoint.origin, WitnessedCheckpoint(checkpoint.size, checkpoint.root, signed)
