"""The witness folder and its store, in this process: what ``init`` writes, what ``serve``
refuses, and that the file store keeps the WitnessStore contract."""

import threading
from pathlib import Path

import pytest

from accord.tlog import note
from accord.tlog.witness import WitnessedCheckpoint, WitnessStore
from accord.witness.folder import LogKey, WitnessFolder, WitnessFolderRefused, trusted_logs
from accord.witness.store import FileWitnessStore, WitnessStateDamaged
from tests.witness.conftest import Witness, accord
from tests.witness.spec_client import SpecLog, WitnessKey


def _record(log: SpecLog, size: int) -> WitnessedCheckpoint:
    from accord.tlog.checkpoint import Checkpoint  # noqa: PLC0415 -- only to build records

    checkpoint = Checkpoint.parse(log.checkpoint_text(size))
    return WitnessedCheckpoint(size, checkpoint.root, log.checkpoint(size))


@pytest.fixture
def log() -> SpecLog:
    made = SpecLog("a.example/log")
    made.grow(64)
    return made


def test_init_prints_the_cosignature_key_first_and_keeps_the_signer_key_private(
    witness: Witness,
) -> None:
    key = WitnessKey.parse(witness.vkey)
    assert key.name == "hu.example/witness"
    assert (witness.folder / "witness.pub").read_text(encoding="utf-8").split()[0] == witness.vkey
    assert (witness.folder / "witness.key").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in witness.folder.iterdir()) == [
        "logs",
        "state",
        "witness.key",
        "witness.pub",
    ]


def test_init_refuses_a_folder_that_holds_a_witness_and_keeps_its_key(witness: Witness) -> None:
    before = (witness.folder / "witness.key").read_bytes()
    done = accord("witness", "init", "other", "--out", str(witness.folder))
    assert (done.returncode, done.stdout) == (1, "")
    assert "already holds a witness" in done.stderr
    assert (witness.folder / "witness.key").read_bytes() == before


def test_init_refuses_a_name_that_is_not_a_key_name(tmp_path: Path) -> None:
    done = accord("witness", "init", "two words", "--out", str(tmp_path / "w"))
    assert (done.returncode, done.stdout) == (1, "")
    assert not (tmp_path / "w" / "witness.key").exists()


def test_serve_refuses_a_folder_without_a_witness_and_a_key_others_can_read(
    witness: Witness, tmp_path: Path, log: SpecLog
) -> None:
    nowhere = accord("witness", "serve", str(tmp_path / "nowhere"), "--log", log.vkey)
    assert (nowhere.returncode, nowhere.stdout) == (1, "")
    assert "accord witness init" in nowhere.stderr
    (witness.folder / "witness.key").chmod(0o644)
    shared = accord("witness", "serve", str(witness.folder), "--log", log.vkey)
    assert (shared.returncode, shared.stdout) == (1, "")
    assert "chmod 600" in shared.stderr


def test_serve_refuses_a_bad_log_key_and_no_log_at_all(witness: Witness) -> None:
    bad = accord("witness", "serve", str(witness.folder), "--log", "not-a-key")
    assert (bad.returncode, bad.stdout) == (1, "")
    none = accord("witness", "serve", str(witness.folder))
    assert (none.returncode, none.stdout) == (1, "")
    assert "--log" in none.stderr


def test_a_log_key_names_its_origin_or_takes_its_key_name() -> None:
    _, vkey = note.generate_key("sum.example")
    assert LogKey.parse(vkey) == LogKey(vkey, "sum.example")
    spaced = LogKey.parse(f"{vkey} go.sum database tree")
    assert spaced.origin == "go.sum database tree"
    assert LogKey.parse(spaced.line()) == spaced
    assert list(trusted_logs([spaced])) == ["go.sum database tree"]
    with pytest.raises(WitnessFolderRefused):
        LogKey.parse("sum.example+00000000+AAAA")


def test_log_keys_are_kept_once_each_in_the_order_given(tmp_path: Path) -> None:
    folder = WitnessFolder.create(tmp_path / "w", "w.example")
    one, two = (LogKey.parse(note.generate_key(n)[1]) for n in ("a.example", "b.example"))
    assert folder.add_log_keys([one, one]) == [one]
    assert folder.add_log_keys([two, one]) == [one, two]
    assert WitnessFolder.open(tmp_path / "w").log_keys() == [one, two]


def test_the_file_store_is_a_witness_store(tmp_path: Path) -> None:
    store = WitnessFolder.create(tmp_path / "w", "w.example").store()
    assert isinstance(store, WitnessStore)


def test_compare_and_swap_stores_only_from_the_stored_size(tmp_path: Path, log: SpecLog) -> None:
    store = WitnessFolder.create(tmp_path / "w", "w.example").store()
    assert store.latest(log.origin) is None
    assert store.compare_and_swap(log.origin, 0, _record(log, 5)) is None
    standing = store.compare_and_swap(log.origin, 0, _record(log, 9))
    assert standing == _record(log, 5)
    again = FileWitnessStore(tmp_path / "w" / "state", tmp_path / "w" / "lock")
    assert again.latest(log.origin) == _record(log, 5)
    assert again.origins() == {log.origin: _record(log, 5)}


def test_threads_racing_from_one_size_store_one_record(tmp_path: Path, log: SpecLog) -> None:
    store = WitnessFolder.create(tmp_path / "w", "w.example").store()
    barrier = threading.Barrier(16)
    won: list[int] = []

    def one(size: int) -> None:
        barrier.wait()
        if store.compare_and_swap(log.origin, 0, _record(log, size)) is None:
            won.append(size)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(1, 17)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1
    assert store.latest(log.origin) == _record(log, won[0])


def test_leftover_temporary_files_are_removed_and_never_read(tmp_path: Path, log: SpecLog) -> None:
    store = WitnessFolder.create(tmp_path / "w", "w.example").store()
    (store.states / ".tmp-killed").write_text("half a checkpoint", encoding="utf-8")
    assert store.origins() == {}
    assert store.remove_leftovers() == 1
    assert list(store.states.iterdir()) == []


def test_a_damaged_state_file_is_refused_not_taken_for_no_state(
    tmp_path: Path, log: SpecLog
) -> None:
    store = WitnessFolder.create(tmp_path / "w", "w.example").store()
    store.compare_and_swap(log.origin, 0, _record(log, 5))
    (path,) = store.states.iterdir()
    path.write_text("a.example/log\n5\n", encoding="utf-8")
    with pytest.raises(WitnessStateDamaged, match="is not a signed checkpoint"):
        store.latest(log.origin)
    other = SpecLog("b.example/log", private=log.private, leaves=log.leaves)
    path.write_text(other.checkpoint(5), encoding="utf-8")
    with pytest.raises(WitnessStateDamaged, match="not 'a.example/log'"):
        store.latest(log.origin)
