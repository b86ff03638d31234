"""Real processes on a file database: a state digest signed while writers append is still the
digest of exactly the entries its checkpoint holds, as replay to that size shows.

Runs on SQLite (a file, WAL) in the SQLite pass and on a scratch PostgreSQL database in the
PostgreSQL pass, since the log lock is taken differently on each.
"""

import subprocess
import sys
from pathlib import Path

from tests.ledger.test_processes import database  # noqa: F401 -- the pass's fresh database
from tests.processes import ROOT, found_with_parties, process_environment, start_worker

SIGNING = """
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
import django
django.setup()
from accord.ledger.state_digest import sign_state_digest
while (size := sign_state_digest().size) < int(sys.argv[1]):
    print(size, flush=True)
    time.sleep(0.01)
"""

FINAL = 3 + 2 * 12
"""The founding and two parties, then twelve communiqués from each writer."""

REPLAYING = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
import django
django.setup()
from accord.ledger.models import Checkpoint, StateDigest
from accord.ledger.replay import replay
for signed in StateDigest.objects.order_by("size"):
    assert Checkpoint.objects.filter(size=signed.size).exists(), signed.size
    replayed = replay(full=False, size=signed.size).public_digest
    print(signed.size, "same" if replayed == signed.digest else "DIFFERENT", flush=True)
"""


def _python(environment: dict[str, str], script: str, *arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *arguments],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def test_digests_signed_among_racing_writers_are_each_reproduced_at_their_size(
    database: str,  # noqa: F811 -- the fixture imported above
    tmp_path: Path,
) -> None:
    environment = process_environment(database, tmp_path)
    found_with_parties(environment)
    signer = _python(environment, SIGNING, str(FINAL))
    assert signer.stdout is not None
    assert signer.stdout.readline() == "3\n", "the signer signs before the writers start"
    writers = [start_worker(environment, actor, 12) for actor in ("BY", "HU")]
    for process in (*writers, signer):
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    checker = _python(environment, REPLAYING)
    out, err = checker.communicate(timeout=300)
    assert checker.returncode == 0, err
    verdicts = [line.split() for line in out.splitlines()]
    assert [verdict for _, verdict in verdicts] == ["same"] * len(verdicts)
    sizes = [int(size) for size, _ in verdicts]
    assert (sizes[0], sizes[-1]) == (3, FINAL)
