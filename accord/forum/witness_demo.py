"""The demo's witnesses (issue 11 §5): Belarus, Russia, Hungary and Kazakhstan each run one.

Each of the four takes an own key beside the one the host keeps for it
(``ledger.key.added``, custody own), and with it registers its witness, whose
key attests the forum, the party and the witness's address. Their
registrations count, so the forum's witness policy (a majority of the five
participating parties: three) is met once their witnesses cosign. The rules
gain the witness acts and the ``witnesses`` section by amendment, as any
forum founded before them does.

Every key comes from a public label, so the demo is the same bytes on every
build. The keys never need to be secret — it is a demo — but they are kept as
a party keeps them: ``accord demo`` writes each party's own key and its
witness folder (as ``accord witness init`` makes one) under the demo's
folder, and serves the four witnesses at ``http://127.0.0.1:<port>``, ports
7381–7384 unless ``ACCORD_DEMO_WITNESS_PORT`` names another first port.
"""

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from accord.forum.demo import ORIGIN, amend_rules, demo_chapter
from accord.forum.profile import Profile
from accord.forum.witness_acts import WITNESS_ACTS
from accord.forum.witness_policy import SECTION, WitnessRules
from accord.ledger.envelope import SignedStatement, Statement, format_time
from accord.ledger.models import ActorSeq
from accord.ledger.submit import Accepted, submit, submit_hosted
from accord.ledger.wire import Submission
from accord.ledger.witness_registration import attest
from accord.lib import clock
from accord.tlog import note
from accord.tlog.cosignature import Cosigner, MLDSACosigner, format_mldsa_skey
from accord.witness.folder import KEY_FILE, LOGS_FILE, PUB_FILE, STATE_FOLDER

WITNESSING = ("BY", "RU", "HU", "KZ")
FIRST_PORT = 7381
PORT_VARIABLE = "ACCORD_DEMO_WITNESS_PORT"


def _seed(label: str) -> bytes:
    return hashlib.sha256(f"accord demo {label}".encode()).digest()


@dataclass(frozen=True)
class DemoWitness:
    """One demo party's own key and witness."""

    party: str
    port: int

    @property
    def name(self) -> str:
        return f"{self.party.lower()}.witness.demo"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def own_skey(self) -> str:
        return note.format_skey(f"{self.party.lower()}.own.demo", _seed(f"own key {self.party}"))

    @property
    def skeys(self) -> list[str]:
        """The witness's signer keys as ``witness.key`` holds them: Ed25519, then ML-DSA-44."""
        return [
            note.format_skey(self.name, _seed(f"witness {self.party}")),
            format_mldsa_skey(self.name, _seed(f"witness ml-dsa {self.party}")),
        ]

    @property
    def vkeys(self) -> list[str]:
        return [Cosigner(self.skeys[0]).vkey, MLDSACosigner(self.skeys[1]).vkey]


def first_port() -> int:
    """The first witness port: ``ACCORD_DEMO_WITNESS_PORT`` if set, else 7381."""
    return int(os.environ.get("ACCORD_DEMO_WITNESS_PORT", FIRST_PORT))


def witnesses(first: int | None = None) -> list[DemoWitness]:
    start = first_port() if first is None else first
    return [DemoWitness(code, start + number) for number, code in enumerate(WITNESSING)]


def _witnessed(profile: Profile, version: int) -> Profile:
    may = {**profile.may, **{act.kind: act.default_may() for act in WITNESS_ACTS}}
    sections = {**profile.sections, SECTION: WitnessRules().model_dump(mode="json")}
    return profile.model_copy(update={"version": version + 1, "may": may, "sections": sections})


def _own_key(witness: DemoWitness) -> Accepted:
    body = {"vkey": note.Signer(witness.own_skey).vkey, "custody": "own"}
    by = f"{witness.party.lower()}.head"
    return submit_hosted(actor=witness.party, kind="ledger.key.added", v=1, body=body, by=by)


def _register(witness: DemoWitness) -> Accepted:
    """The party signs its witness's registration with its own key, as its own tools would."""
    body = {
        "name": witness.name,
        "vkeys": witness.vkeys,
        "url": witness.url,
        "attestation": attest(witness.skeys[0], ORIGIN, witness.party, witness.url),
    }
    statement = Statement(
        forum=ORIGIN,
        kind="ledger.witness.registered",
        v=1,
        actor=witness.party,
        seq=ActorSeq.objects.get(actor=witness.party).last_seq + 1,
        at=format_time(clock.now()),
        distribution="public",
        body=body,
    )
    signer = note.Signer(witness.own_skey)
    signed = SignedStatement(statement, signer.sign(statement.signing_bytes()), signer.vkey)
    return submit(Submission(signed))


@demo_chapter("witnesses")
def story(on: Callable[[datetime], None], present: datetime) -> Iterator[Callable[[], object]]:
    """The rules gain the witness acts; four parties take own keys and register witnesses."""
    del present  # the chapter is dated by the calendar alone
    on(datetime(2025, 11, 5, 9, 0, tzinfo=UTC))
    yield from amend_rules(_witnessed)
    for witness in witnesses():
        yield partial(_own_key, witness)
        yield partial(_register, witness)


def write_folders(root: Path, log_vkey: str) -> list[tuple[DemoWitness, Path]]:
    """Write each party's own key (``keys/<code>.key``, mode 0600) and witness folder
    (``witnesses/<code>/``, as ``accord witness init`` lays one out, serving the demo's log)
    under ``root``, leaving a folder that exists as it is, so a witness keeps its state
    across runs. Returns each witness with its folder."""
    made = []
    for witness in witnesses():
        keys = root / "keys"
        keys.mkdir(parents=True, exist_ok=True)
        _write(keys / f"{witness.party.lower()}.key", witness.own_skey + "\n", 0o600)
        _write(keys / f"{witness.party.lower()}.pub", note.Signer(witness.own_skey).vkey + "\n")
        folder = root / "witnesses" / witness.party.lower()
        if not (folder / KEY_FILE).exists():
            folder.mkdir(parents=True, exist_ok=True)
            _write(folder / KEY_FILE, "".join(f"{skey}\n" for skey in witness.skeys), 0o600)
            _write(folder / PUB_FILE, "".join(f"{vkey}\n" for vkey in witness.vkeys))
            _write(folder / LOGS_FILE, f"{log_vkey}\n")
            (folder / STATE_FOLDER).mkdir(exist_ok=True)
        made.append((witness, folder))
    return made


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    if path.exists():
        return
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
