"""What a verifying client remembers, and what it does when a host shows it another log.

A host that wants to rewrite history can serve a different log at the address a delegation
already checks, sign a second history with the same key (a fork, shown to some and not to
others), or roll its log back. ``accord verify`` must refuse the first with a sentence saying
what changed, and turn the other two into an evidence file a third party can check with the
log key and ``accord.tlog`` alone.
"""

import base64
import hashlib
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction
from typer.testing import CliRunner

from accord.cli.main import app
from accord.ledger import evidence, memory
from accord.ledger.checkpoints import sign_checkpoint
from accord.ledger.export import export
from accord.ledger.hashes import forget_cached_tiles
from accord.ledger.verify import (
    ForkDetected,
    LogChanged,
    VerifyFailure,
    state_folder,
    verify_log,
)
from accord.tlog import merkle, note
from accord.tlog.checkpoint import Checkpoint, open_checkpoint
from tests.ledger.world import LOG_KEY, ORIGIN, World, build
from tests.processes import free_port, process_environment, run_accord

OTHER_KEY = note.Signer(note.format_skey(ORIGIN, hashlib.sha256(b"a second log key").digest()))


@pytest.fixture(autouse=True)
def verify_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_VERIFY_STATE", str(tmp_path / "seen"))


@dataclass
class StaticHost:
    """A real web server process whose served folder a test can swap, as a hostile host would."""

    url: str
    served: Path

    def serve(self, folder: Path) -> None:
        swap = self.served.with_name("served.next")
        swap.symlink_to(folder.resolve(), target_is_directory=True)
        swap.replace(self.served)


@pytest.fixture
def host(tmp_path: Path) -> Iterator[StaticHost]:
    (tmp_path / "nothing").mkdir()
    served = tmp_path / "served"
    served.symlink_to(tmp_path / "nothing", target_is_directory=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", str(served)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(url + "/", timeout=5):
                break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    try:
        yield StaticHost(url, served)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _grow(world: World, first: int, count: int, text: str = "Statement") -> None:
    for seq in range(first, first + count):
        world.submit(world.communique(seq=seq, text=f"{text} {seq}."))


def _exported(folder: Path) -> Path:
    export(folder, sign_checkpoint())
    return folder


def _fork(world: World, tmp_path: Path, left: int, right: int) -> tuple[Path, Path]:
    """Two histories signed by the same log key that agree on the first entries, then differ."""
    _grow(world, 1, 2)
    with transaction.atomic():
        _grow(world, 3, left, "Left")
        left_folder = _exported(tmp_path / "left")
        transaction.set_rollback(True)
    forget_cached_tiles()
    _grow(world, 3, right, "Right")
    return left_folder, _exported(tmp_path / "right")


def _resigned(folder: Path, target: Path, signer: note.Signer, origin: str) -> Path:
    """The folder's log with its checkpoint signed again by ``signer`` under ``origin``."""
    subprocess.run(["cp", "-r", str(folder), str(target)], check=True)
    text = (folder / "checkpoint").read_text()
    served = Checkpoint.parse(note.split(text)[0])
    signed = Checkpoint(origin, served.size, served.root).sign(signer)
    (target / "checkpoint").write_text(signed)
    (target / "key").write_text(signer.vkey + "\n")
    return target


def _checked(path: Path) -> evidence.Finding:
    found = evidence.check(evidence.parse(path.read_text()), LOG_KEY.vkey)
    recorded = evidence.parse(path.read_text())
    for observed in (recorded.earlier, recorded.later):
        opened = open_checkpoint(observed.checkpoint, [note.Verifier(LOG_KEY.vkey)], ORIGIN)
        assert opened[0].origin == ORIGIN
    return found


@pytest.mark.django_db(transaction=True)
def test_a_second_log_served_at_the_same_url_is_refused_with_what_changed(
    host: StaticHost, tmp_path: Path
) -> None:
    world = next(build())
    _grow(world, 1, 3)
    host.serve(_exported(tmp_path / "first"))
    first = verify_log(host.url)
    assert first.key_trust.startswith("trusted on first use")

    # A second, real log founded by `accord log init` in a database of its own.
    environment = process_environment(f"sqlite:///{tmp_path / 'second.sqlite3'}", tmp_path)
    founded = run_accord(environment, "log", "init", "--origin", "second.example/log")
    second_key = founded.split("Log verifier key: ")[1].strip()
    run_accord(environment, "log", "export", str(tmp_path / "second"))
    host.serve(tmp_path / "second")

    with pytest.raises(LogChanged) as refused:
        verify_log(host.url)
    sentence = str(refused.value)
    assert f"{host.url} served the log 'forum.example/log' (key {LOG_KEY.vkey})" in sentence
    assert "first saw it on 2" in sentence
    assert f"now serves the log 'second.example/log' (key {second_key})" in sentence
    assert f"accord verify {host.url} --log-key NEWKEY --accept-new-log" in sentence

    with pytest.raises(VerifyFailure, match="--accept-new-log needs --log-key"):
        verify_log(host.url, accept_new_log=True)
    moved = verify_log(host.url, log_key=second_key, accept_new_log=True)
    assert (moved.origin, moved.key_trust) == ("second.example/log", "pinned")
    assert verify_log(host.url).key_trust == "remembered"


@pytest.mark.django_db(transaction=True)
def test_a_changed_log_key_at_a_remembered_url_is_refused(host: StaticHost, tmp_path: Path) -> None:
    world = next(build())
    _grow(world, 1, 3)
    genuine = _exported(tmp_path / "genuine")
    host.serve(genuine)
    verify_log(host.url)
    host.serve(_resigned(genuine, tmp_path / "rekeyed", OTHER_KEY, ORIGIN))

    with pytest.raises(LogChanged) as refused:
        verify_log(host.url)
    sentence = str(refused.value)
    assert f"signed with key {LOG_KEY.vkey} when this machine first saw it on" in sentence
    assert f"it now serves it with key {OTHER_KEY.vkey}" in sentence
    assert "--accept-new-log" in sentence

    with pytest.raises(LogChanged, match="is not the key this machine saw for"):
        verify_log(host.url, log_key=OTHER_KEY.vkey)


@pytest.mark.django_db(transaction=True)
def test_a_changed_origin_at_a_remembered_url_is_refused(host: StaticHost, tmp_path: Path) -> None:
    world = next(build())
    _grow(world, 1, 3)
    genuine = _exported(tmp_path / "genuine")
    host.serve(genuine)
    verify_log(host.url)
    host.serve(_resigned(genuine, tmp_path / "renamed", LOG_KEY, "forum.example/log2"))

    with pytest.raises(LogChanged) as refused:
        verify_log(host.url)
    sentence = str(refused.value)
    assert "served the log 'forum.example/log'" in sentence
    assert f"now serves the log 'forum.example/log2' (key {LOG_KEY.vkey})" in sentence


@pytest.mark.django_db(transaction=True)
def test_a_forked_server_leaves_evidence_a_third_party_can_check(
    host: StaticHost, tmp_path: Path
) -> None:
    world = next(build())
    left, right = _fork(world, tmp_path, left=2, right=4)
    host.serve(left)
    seen = verify_log(host.url)
    # What the host answers at /log/proof/consistency/a/b: a proof within its own fork.
    tree = merkle.Tree()
    for leaf in _leaves(right):
        tree.append(leaf)
    proof = [base64.b64encode(h).decode() for h in tree.consistency_proof(seen.size)]
    served = right / "proof" / "consistency" / str(seen.size) / str(tree.size)
    served.parent.mkdir(parents=True)
    served.write_text(json.dumps({"old_size": seen.size, "new_size": tree.size, "proof": proof}))
    host.serve(right)

    with pytest.raises(ForkDetected) as caught:
        verify_log(host.url)
    assert "written to" in str(caught.value)
    assert caught.value.evidence.parent == state_folder() / "evidence"
    found = _checked(caught.value.evidence)
    assert found.claim == "not-consistent"
    assert (found.earlier.size, found.later.size) == (seen.size, seen.size + 2)
    assert "rewrote" in found.proves
    assert evidence.parse(caught.value.evidence.read_text()).served_proof is not None
    assert not found.served_proof_verifies

    # The client keeps the checkpoint it trusted: the forked log is refused again, not adopted.
    with pytest.raises(ForkDetected):
        verify_log(host.url)


@pytest.mark.django_db(transaction=True)
def test_two_histories_of_one_size_leave_evidence(host: StaticHost, tmp_path: Path) -> None:
    world = next(build())
    left, right = _fork(world, tmp_path, left=3, right=3)
    host.serve(left)
    verify_log(host.url)
    host.serve(right)

    with pytest.raises(ForkDetected) as caught:
        verify_log(host.url)
    found = _checked(caught.value.evidence)
    assert found.claim == "different-roots"
    assert found.earlier.size == found.later.size
    assert found.earlier.root != found.later.root


@pytest.mark.django_db(transaction=True)
def test_a_split_view_across_two_addresses_leaves_evidence(tmp_path: Path) -> None:
    world = next(build())
    left, right = _fork(world, tmp_path, left=1, right=3)
    verify_log(str(left))
    with pytest.raises(ForkDetected) as caught:
        verify_log(str(right))
    found = _checked(caught.value.evidence)
    assert found.claim == "not-consistent"
    recorded = evidence.parse(caught.value.evidence.read_text())
    assert (recorded.earlier.location, recorded.later.location) == (
        str(left.resolve()),
        str(right.resolve()),
    )


@pytest.mark.django_db(transaction=True)
def test_a_rewound_log_leaves_evidence(host: StaticHost, tmp_path: Path) -> None:
    world = next(build())
    _grow(world, 1, 1)
    earlier = _exported(tmp_path / "earlier")
    _grow(world, 2, 3)
    host.serve(_exported(tmp_path / "later"))
    verify_log(host.url)
    host.serve(earlier)

    with pytest.raises(ForkDetected) as caught:
        verify_log(host.url)
    assert "went back from 8 to 5 entries" in str(caught.value)
    found = _checked(caught.value.evidence)
    assert found.claim == "rewind"
    assert (found.earlier.size, found.later.size) == (8, 5)
    assert "rests on the observer's record" in found.proves


@pytest.mark.django_db(transaction=True)
def test_the_forum_address_verifies_as_well_as_its_log(live_server: object) -> None:
    world = next(build())
    _grow(world, 1, 2)
    sign_checkpoint()
    forum = live_server.url  # type: ignore[attr-defined]
    first = verify_log(forum)
    assert (first.location, first.size) == (f"{forum}/log", 6)
    for address in (f"{forum}/", f"{forum}/log", f"{forum}/log/"):
        again = verify_log(address)
        assert (again.location, again.key_trust, again.previous_size) == (
            f"{forum}/log",
            "remembered",
            6,
        )


@pytest.mark.django_db
def test_a_state_file_in_the_old_format_is_read_and_migrated(world: World, tmp_path: Path) -> None:
    _grow(world, 1, 3)
    folder = _exported(tmp_path / "log")
    tree = merkle.Tree()
    for leaf in _leaves(folder):
        tree.append(leaf)
    legacy = state_folder() / (hashlib.sha256(ORIGIN.encode()).hexdigest() + ".json")
    legacy.parent.mkdir(parents=True)
    legacy.write_text(
        json.dumps(
            {"origin": ORIGIN, "log_key": LOG_KEY.vkey, "size": 5, "root": tree.root(5).hex()}
        )
    )
    checked = verify_log(str(folder))
    assert (checked.key_trust, checked.previous_size) == ("remembered", 5)
    assert not legacy.exists()
    kept = memory.Memory(state_folder()).of_origin(ORIGIN)
    assert kept is not None
    assert kept.checkpoint == (folder / "checkpoint").read_text()
    assert json.loads(next((state_folder() / "origins").iterdir()).read_text())["format"] == (
        memory.FORMAT
    )


@pytest.mark.django_db
def test_an_old_state_file_that_disagrees_is_refused_without_evidence(
    world: World, tmp_path: Path
) -> None:
    _grow(world, 1, 3)
    folder = _exported(tmp_path / "log")
    legacy = state_folder() / (hashlib.sha256(ORIGIN.encode()).hexdigest() + ".json")
    legacy.parent.mkdir(parents=True)
    legacy.write_text(
        json.dumps({"origin": ORIGIN, "log_key": LOG_KEY.vkey, "size": 5, "root": "00" * 32})
    )
    with pytest.raises(VerifyFailure, match="kept no signed checkpoint") as refused:
        verify_log(str(folder))
    assert not isinstance(refused.value, ForkDetected)
    assert "history changed since this machine saw it at size 5" in str(refused.value)


@pytest.mark.django_db
def test_a_damaged_state_file_is_named(world: World, tmp_path: Path) -> None:
    folder = _exported(tmp_path / "log")
    verify_log(str(folder))
    record = next((state_folder() / "origins").iterdir())
    record.write_text(record.read_text()[:-20])
    with pytest.raises(VerifyFailure, match=f"{record} is damaged"):
        verify_log(str(folder))


@pytest.mark.django_db
def test_a_verify_killed_while_writing_leaves_the_old_state_whole(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _exported(tmp_path / "log")
    verify_log(str(folder))
    records = sorted(state_folder().rglob("*.json"))
    before = [path.read_bytes() for path in records]
    _grow(world, 1, 2)
    _exported(folder)

    def killed(source: Path, target: Path) -> Path:
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        verify_log(str(folder))
    assert [path.read_bytes() for path in sorted(state_folder().rglob("*.json"))] == before
    assert not [path for path in state_folder().rglob("*") if path.name.endswith(".tmp")]


def test_evidence_that_was_tampered_with_fails_its_check() -> None:
    earlier = Checkpoint(ORIGIN, 4, merkle.leaf_hash(b"a")).sign(LOG_KEY)
    later = Checkpoint(ORIGIN, 4, merkle.leaf_hash(b"b")).sign(LOG_KEY)
    written = evidence.Evidence(
        LOG_KEY.vkey,
        evidence.Observation(earlier, "https://forum.example/log", "2025-01-30T09:00:00Z"),
        evidence.Observation(later, "https://forum.example/log", "2025-01-31T09:00:00Z"),
    )
    text = evidence.format(written)
    assert evidence.parse(text) == written
    assert evidence.check(evidence.parse(text), LOG_KEY.vkey).claim == "different-roots"

    with pytest.raises(evidence.EvidenceError, match="not the key the evidence names"):
        evidence.check(evidence.parse(text), OTHER_KEY.vkey)
    forged = Checkpoint(ORIGIN, 4, merkle.leaf_hash(b"c")).sign(OTHER_KEY)
    swapped = text.replace(
        json.dumps(later, ensure_ascii=False)[1:-1], json.dumps(forged, ensure_ascii=False)[1:-1]
    )
    assert swapped != text
    with pytest.raises(evidence.EvidenceError, match="later checkpoint does not verify"):
        evidence.check(evidence.parse(swapped), LOG_KEY.vkey)
    same = evidence.format(
        evidence.Evidence(
            LOG_KEY.vkey,
            evidence.Observation(earlier, "here", None),
            evidence.Observation(earlier, "here", None),
        )
    )
    with pytest.raises(evidence.EvidenceError, match="prove nothing"):
        evidence.check(evidence.parse(same), LOG_KEY.vkey)
    relabelled = text.replace('"claim": "different-roots"', '"claim": "rewind"')
    with pytest.raises(evidence.EvidenceError, match="claims 'rewind' but its checkpoints show"):
        evidence.parse(relabelled)
    with pytest.raises(evidence.EvidenceError, match="accord-evidence/v1"):
        evidence.parse(json.dumps({"format": "accord-evidence/v9"}))


@pytest.mark.django_db(transaction=True)
def test_the_command_names_the_evidence_file_and_exits_non_zero(tmp_path: Path) -> None:
    world = next(build())
    left, right = _fork(world, tmp_path, left=1, right=2)
    runner = CliRunner()
    assert runner.invoke(app, ["verify", str(left)]).exit_code == 0
    forked = runner.invoke(app, ["verify", str(right)])
    assert forked.exit_code == 1
    written = next((state_folder() / "evidence").iterdir())
    assert written.name in forked.output.replace("\n", "")
    alone = runner.invoke(app, ["verify", str(right), "--accept-new-log"])
    assert alone.exit_code == 1
    assert "--accept-new-log needs --log-key" in alone.output


def _leaves(folder: Path) -> list[bytes]:
    from accord.tlog.tiles import decode_entries  # noqa: PLC0415

    bundle = next((folder / "tile" / "entries").rglob("*"))
    while bundle.is_dir():
        bundle = next(bundle.iterdir())
    return decode_entries(bundle.read_bytes(), int(bundle.name))
