"""A witness's folder: its signer keys, the log keys it was given, and its state.

::

    DIR/witness.key   signer keys, one per line, mode 0600 (Ed25519 first)
    DIR/witness.pub   the matching verifier keys, one per line, in the same order
    DIR/logs          the logs served: one line per log key, ``<vkey> [<origin>]``
    DIR/state/        per origin, the last checkpoint cosigned (see ``store``)
    DIR/lock          locked around every state update, by every process serving DIR

A log key's name is taken as the origin unless the line names the origin
after the key (the Go checksum database signs ``go.sum database tree`` with the
key ``sum.golang.org``). Nothing here is secret but ``witness.key``; the state
is what must be kept (and backed up) so that the witness never cosigns a
rollback.
"""

import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from accord.tlog import TlogError, note
from accord.tlog.cosignature import Cosigner, MLDSACosigner, generate_key, generate_mldsa_key
from accord.witness.store import FileWitnessStore, replace_durably, sync_folder

KEY_FILE = "witness.key"
PUB_FILE = "witness.pub"
LOGS_FILE = "logs"
STATE_FOLDER = "state"
LOCK_FILE = "lock"

_LOGS_HEADER = (
    "# Logs this witness cosigns for: '<verifier key> [<origin>]' per line;\n"
    "# the origin is the key's name unless given. Edit only while the witness is stopped.\n"
)


class WitnessFolderRefused(Exception):  # noqa: N818 -- what the operator is told
    """The folder cannot be made or used as a witness; the message says why and what to do."""


@dataclass(frozen=True)
class LogKey:
    """A log this witness serves: the verifier key it trusts and the origin it signs."""

    vkey: str
    origin: str

    @classmethod
    def parse(cls, line: str) -> "LogKey":
        """``<vkey>`` or ``<vkey> <origin>`` (the origin may hold spaces; the key cannot)."""
        vkey, _, origin = line.strip().partition(" ")
        try:
            verifier = note.Verifier(vkey)
        except TlogError as exc:
            raise WitnessFolderRefused(f"log key {vkey[:80]!r} is not usable: {exc}") from None
        return cls(vkey, origin.strip() or verifier.name)

    def line(self) -> str:
        name = self.vkey.split("+", 1)[0]
        return self.vkey if self.origin == name else f"{self.vkey} {self.origin}"

    def verifier(self) -> note.Verifier:
        return note.Verifier(self.vkey)


def trusted_logs(keys: Sequence[LogKey]) -> dict[str, list[note.NoteVerifier]]:
    """The keys trusted per origin, as ``accord.tlog.witness.add_checkpoint`` takes them.

    An origin may have several keys (a log rotating its key signs with both).
    """
    logs: dict[str, list[note.NoteVerifier]] = {}
    for key in keys:
        logs.setdefault(key.origin, []).append(key.verifier())
    return logs


def _write_new(path: Path, text: str, mode: int) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _signer_keys(name: str) -> list[tuple[str, str]]:
    """The witness's key pairs: Ed25519 cosignature/v1 first (what every C2SP client reads
    today), then ML-DSA-44, as tlog-cosignature now recommends. Both sign each checkpoint."""
    return [generate_key(name), generate_mldsa_key(name)]


def _cosigner(skey: str) -> Cosigner | MLDSACosigner:
    """The cosigner of one line of ``witness.key``, Ed25519 or ML-DSA-44 by its key type."""
    try:
        return Cosigner(skey)
    except TlogError:
        return MLDSACosigner(skey)


class WitnessFolder:
    """The folder ``accord witness init`` makes and ``accord witness serve`` runs from."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def create(cls, path: Path, name: str) -> "WitnessFolder":
        """Make a new witness named ``name`` in ``path``; refuse one that holds a witness.

        Key files are created exclusively (O_EXCL), so two ``init`` runs never
        overwrite each other's key.
        """
        folder = cls(path)
        if (path / KEY_FILE).exists() or (path / STATE_FOLDER).exists():
            raise WitnessFolderRefused(
                f"{path} already holds a witness; serve it, or choose another folder"
            )
        try:
            pairs = _signer_keys(name)
        except TlogError as exc:
            raise WitnessFolderRefused(f"the witness name {name!r} is not usable: {exc}") from None
        try:
            path.mkdir(parents=True, exist_ok=True)
            _write_new(path / KEY_FILE, "".join(s + "\n" for s, _ in pairs), 0o600)
            _write_new(path / PUB_FILE, "".join(v + "\n" for _, v in pairs), 0o644)
            _write_new(path / LOGS_FILE, _LOGS_HEADER, 0o644)
            (path / STATE_FOLDER).mkdir()
            sync_folder(path)
        except FileExistsError:
            raise WitnessFolderRefused(f"{path} already holds a witness") from None
        except OSError as exc:
            raise WitnessFolderRefused(f"cannot make the witness in {path}: {exc}") from None
        return folder

    @classmethod
    def open(cls, path: Path) -> "WitnessFolder":
        """A folder ``init`` made; refuses a missing one or a key others can read."""
        folder = cls(path)
        key = path / KEY_FILE
        if not key.is_file() or not (path / STATE_FOLDER).is_dir():
            raise WitnessFolderRefused(
                f"{path} holds no witness; make one with 'accord witness init NAME --out {path}'"
            )
        if stat.S_IMODE(key.stat().st_mode) & 0o077:
            raise WitnessFolderRefused(
                f"{key} can be read by others; make it private with 'chmod 600 {key}'"
            )
        return folder

    def cosigners(self) -> list[Cosigner | MLDSACosigner]:
        """The witness's cosigning keys, in the order of ``witness.key`` (Ed25519 first)."""
        lines = (self.path / KEY_FILE).read_text(encoding="utf-8").split()
        try:
            return [_cosigner(line) for line in lines]
        except TlogError as exc:
            raise WitnessFolderRefused(f"{self.path / KEY_FILE} is damaged: {exc}") from None

    def verifier_keys(self) -> list[str]:
        return (self.path / PUB_FILE).read_text(encoding="utf-8").split()

    def log_keys(self) -> list[LogKey]:
        """The logs kept in ``DIR/logs``, in the order they were given."""
        lines = (self.path / LOGS_FILE).read_text(encoding="utf-8").splitlines()
        return [LogKey.parse(line) for line in lines if line.strip() and not line.startswith("#")]

    def add_log_keys(self, given: Iterable[LogKey]) -> list[LogKey]:
        """Keep ``given`` beside the logs already kept (each once); all of them, durably.

        Under the folder's lock, so two processes adding keys lose neither.
        """
        with self.store().locked():
            kept = self.log_keys()
            added = [key for key in dict.fromkeys(given) if key not in kept]
            if added:
                text = _LOGS_HEADER + "".join(key.line() + "\n" for key in [*kept, *added])
                replace_durably(self.path / LOGS_FILE, text.encode("utf-8"))
            return [*kept, *added]

    def store(self) -> FileWitnessStore:
        return FileWitnessStore(self.path / STATE_FOLDER, self.path / LOCK_FILE)
