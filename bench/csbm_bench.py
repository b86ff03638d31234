"""Benchmarks of the CSBM app, each figure beside a bound measured in the same run.

- Fan-out: one notification (its sealed content and the public notification) to 57
  parties and the 57 acknowledgements, each a ``submit()`` of a statement signed by its
  party's own key, against the same number of bare ``submit()`` calls
  (``ledger.communique.published``, same keys): the overhead of delivery bookkeeping
  (a delivery row per recipient, the acknowledgement's checks); target <= 1.5x.
- The compliance report (``accord.csbm.compliance.report``) over heavy traffic among 57
  parties: N general communications, each to the 56 others and acknowledged by every one
  (58 entries a notification; 5.8 x 10^5 at N = 10^4), against a plain ``COUNT`` of the same
  year's notification and delivery rows; its query count (the same at every N) and its
  time at 10^3 and 10^4, whose ratio shows it linear (~10x).

The heavy databases are built once by bulk ingestion (``accord.ledger.submit.ingest``) of
own-key statements signed in a loop, and kept under ``var/bench/`` keyed by N and by the
code that decides what the database holds (a digest of the ledger's, the forum's and the
CSBM app's statements, models and migrations), so later runs measure without building;
the build's own time is recorded when it happens. The content is sealed public here: the
report reads only public projections, so distribution does not change what it counts.

Usage: python -m bench.csbm_bench [--quick | --tiny] [--out FILE]

``--tiny`` runs every measurement at a size too small to mean anything (8 parties, 10 and 10^2
notifications, built in a scratch folder), so that ``make test`` proves each one still runs
and writes its result; its figures are never reported.
"""

import base64
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.options import result_path, run_child, run_size

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results" / "csbm.json"
KEK = "bench:" + base64.b64encode(b"c" * 32).decode()
ORIGIN = "bench.example/csbm"
PARTS = ("fan_out", "traffic", "report")
PAYLOAD = {
    "subject": "Point of contact",
    "text": "Our verification centre answers around the clock.",
    "category": "information",
    "dated": "2025-01-30",
}
BUILT_FROM = (
    "accord/ledger",
    "accord/tlog",
    "accord/forum/statements.py",
    "accord/forum/models.py",
    "accord/forum/founding.py",
    "accord/forum/profile.py",
    "accord/forum/migrations",
    "accord/csbm/statements.py",
    "accord/csbm/models.py",
    "accord/csbm/formats.py",
    "accord/csbm/rules.py",
    "accord/csbm/thresholds.py",
    "accord/csbm/migrations",
    "accord/csbm/regimes",
    "bench/csbm_bench.py",
)


@dataclass(frozen=True)
class Size:
    fan_out: int
    """Recipients of the fanned-out notification."""
    rounds: int
    """Fan-outs measured, each beside as many bare submissions."""
    parties: int
    """Parties taking part in the heavy traffic."""
    traffic: tuple[int, ...]
    """Notifications in each heavy database, smallest first."""
    repeats: int
    """Times the report and the COUNT are each measured on a database; the median kept."""


SIZES = {
    "tiny": Size(fan_out=8, rounds=2, parties=8, traffic=(10, 100), repeats=3),
    "quick": Size(fan_out=57, rounds=5, parties=57, traffic=(100, 1_000), repeats=5),
    "full": Size(fan_out=57, rounds=15, parties=57, traffic=(1_000, 10_000), repeats=7),
}


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    import django  # noqa: PLC0415

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415

    call_command("migrate", verbosity=0, interactive=False)


def code_version() -> str:
    """A digest of the code that decides what a built database holds (``BUILT_FROM``)."""
    digest = hashlib.sha256()
    for name in BUILT_FROM:
        path = ROOT / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(ROOT)).encode() + b"\0")
                digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


# -- the forum of own-key parties -----------------------------------------------------------------


def _code(number: int) -> str:
    return f"P{chr(65 + number // 26)}{chr(65 + number % 26)}"


class Parties:
    """Own-key parties: each one's signer and next sequence number, signing in a loop."""

    def __init__(self, count: int) -> None:
        from accord.tlog import note  # noqa: PLC0415

        self.codes = [_code(n) for n in range(count)]
        self.signers = {
            code: note.Signer(
                note.format_skey(f"{code.lower()}.bench", hashlib.sha256(code.encode()).digest())
            )
            for code in self.codes
        }
        self.seq = dict.fromkeys(self.codes, 0)

    def signed(self, actor: str, kind: str, body: dict[str, Any], at: str) -> Any:
        """A submission of ``kind`` signed by ``actor``'s own key, with its next seq."""
        from accord.ledger.envelope import SignedStatement, Statement  # noqa: PLC0415
        from accord.ledger.submit import Submission  # noqa: PLC0415

        self.seq[actor] += 1
        statement = Statement(
            forum=ORIGIN,
            kind=kind,
            v=1,
            actor=actor,
            seq=self.seq[actor],
            at=at,
            distribution="public",
            body=body,
        )
        signer = self.signers[actor]
        signature = signer.sign(statement.signing_bytes())
        return Submission(SignedStatement(statement, signature, signer.vkey))


def found(count: int) -> Parties:
    """A forum of ``count`` parties with their own keys, each joined by its own statement."""
    from accord.forum import actions as forum_actions  # noqa: PLC0415
    from accord.forum import founding  # noqa: PLC0415
    from accord.ledger.submit import ingest  # noqa: PLC0415

    parties = Parties(count)
    toml = [
        f'[forum]\nname = "Bench"\norigin = "{ORIGIN}"\nlanguages = ["en", "ru"]',
        f'symbol_prefix = "B"\nchair = "{parties.codes[0]}"',
    ]
    toml += [
        f'[[party]]\ncode = "{code}"\nname = "State {code}"\nvkey = "{parties.signers[code].vkey}"'
        for code in parties.codes
    ]
    forum_actions.found_forum(founding.parse("\n".join(toml) + "\n"))
    at = _now()
    ingest([parties.signed(code, "forum.party.joined", {}, at) for code in parties.codes])
    return parties


def _now() -> str:
    from accord.ledger.envelope import format_time  # noqa: PLC0415

    return format_time(datetime.now(UTC))


def _notification(parties: Parties, sender: str, content: int, at: str) -> list[Any]:
    """The sealed content (entry ``content``) and its notification to every other party."""
    from accord.csbm.formats import FORMATS  # noqa: PLC0415

    fmt = FORMATS["general-communication"]
    facts = fmt.facts_of(fmt.model.model_validate(PAYLOAD))
    sealed = {"format": fmt.id, "schema_version": fmt.v, "payload": PAYLOAD}
    to = sorted(code for code in parties.codes if code != sender)
    sent = {"format": fmt.id, "schema_version": fmt.v, "content": content, "to": to}
    return [
        parties.signed(sender, "csbm.content.sealed", sealed, at),
        parties.signed(sender, "csbm.notification.sent", sent | {"facts": facts}, at),
    ]


def _acknowledgements(parties: Parties, sender: str, notification: int, at: str) -> list[Any]:
    body = {"notification": notification}
    return [
        parties.signed(code, "csbm.notification.acknowledged", body, at)
        for code in parties.codes
        if code != sender
    ]


def _size() -> int:
    from accord.ledger.models import LogState  # noqa: PLC0415

    return int(LogState.objects.get().size)


# -- fan-out --------------------------------------------------------------------------------------


def child_fan_out(size_name: str) -> dict[str, Any]:
    """Rounds of one notification to ``fan_out`` parties and its acknowledgements, each
    beside as many bare communiqués from the sender, submitted one by one."""
    _setup()
    from accord.ledger.submit import submit  # noqa: PLC0415

    size = SIZES[size_name]
    parties = found(size.fan_out + 1)
    sender = parties.codes[0]
    communique = {"title": "Communiqué", "text": "A statement of ordinary length. " * 4}
    times: dict[str, list[float]] = {"notification": [], "bare": []}
    for _round in range(size.rounds + 1):  # the first round warms imports and caches
        at = _now()
        start = _size()
        notified = 0.0
        for position, submission in enumerate(_notification(parties, sender, start, at)):
            began = time.perf_counter()
            accepted = submit(submission)
            notified += time.perf_counter() - began
            assert accepted.index == start + position, (accepted.index, start, position)
        for submission in _acknowledgements(parties, sender, start + 1, at):
            began = time.perf_counter()
            submit(submission)
            notified += time.perf_counter() - began
        bare = 0.0
        for _n in range(size.fan_out + 2):
            submission = parties.signed(sender, "ledger.communique.published", communique, at)
            began = time.perf_counter()
            submit(submission)
            bare += time.perf_counter() - began
        times["notification"].append(notified)
        times["bare"].append(bare)
    row: dict[str, Any] = {"recipients": size.fan_out, "submissions": size.fan_out + 2}
    row["rounds"] = size.rounds
    for name, samples in times.items():
        row[f"{name}_median_s"] = statistics.median(samples[1:])
    row["ratio"] = row["notification_median_s"] / row["bare_median_s"]
    return row


# -- heavy traffic --------------------------------------------------------------------------------


def child_build(size_name: str, folders: list[str]) -> dict[str, Any]:
    """Build the heavy traffic in this process's database, up to the largest size, keeping a
    copy of the database (``VACUUM INTO``) at each smaller size in its own folder."""
    _setup()
    from django.db import connection  # noqa: PLC0415
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import Progress  # noqa: PLC0415

    from accord.ledger.submit import ingest  # noqa: PLC0415

    size = SIZES[size_name]
    started = time.perf_counter()
    parties = found(size.parties)
    built: dict[str, Any] = {"parties": size.parties, "sizes": {}}
    done, signing, ingesting, chunk = 0, 0.0, 0.0, 50
    per_notification = size.parties + 1
    with Progress(console=Console(stderr=True)) as progress:
        task = progress.add_task("ingesting", total=size.traffic[-1] * per_notification)
        for target, folder in zip(size.traffic, folders, strict=True):
            while done < target:
                at, start, batch = _now(), _size(), list[Any]()
                began = time.perf_counter()
                for n in range(min(chunk, target - done)):
                    sender = parties.codes[(done + n) % len(parties.codes)]
                    content = start + len(batch)
                    batch += _notification(parties, sender, content, at)
                    batch += _acknowledgements(parties, sender, content + 1, at)
                signing += time.perf_counter() - began
                began = time.perf_counter()
                ingest(batch, batch=1_000)
                ingesting += time.perf_counter() - began
                done += min(chunk, target - done)
                progress.update(task, completed=done * per_notification)
            entries = _size()
            here = Path(folder)
            here.mkdir(parents=True, exist_ok=True)
            copy = here / "bench.sqlite3"
            if copy.exists():
                copy.unlink()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [str(copy)])
            built["sizes"][str(target)] = {
                "notifications": target,
                "entries": entries,
                "build_s": time.perf_counter() - started,
                "signing_s": signing,
                "ingest_s": ingesting,
                "ingest_per_s": (entries) / max(ingesting, 1e-9),
            }
            (here / "built.json").write_text(json.dumps(built["sizes"][str(target)]) + "\n")
    return built


def child_report(size_name: str) -> dict[str, Any]:
    """The report and a plain COUNT of the same rows, each measured ``repeats`` times on this
    database (built already); the report's query count."""
    _setup()
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    from accord.csbm import compliance  # noqa: PLC0415
    from accord.csbm.models import Delivery, Notification  # noqa: PLC0415

    size = SIZES[size_name]
    year = int(Notification.objects.values_list("year", flat=True).first() or 0)
    with CaptureQueriesContext(connection) as queries:
        found = compliance.report(year, language="en")
    rows = len(found.rows)
    sent = sum(row.sent for row in found.rows)
    acknowledged = sum(row.acknowledged for row in found.rows)

    def plain() -> int:
        return (
            Notification.objects.filter(year=year).count()
            + Delivery.objects.filter(year=year).count()
        )

    counted = plain()
    times: dict[str, list[float]] = {"report": [], "count": []}
    for _n in range(size.repeats):
        for name, work in (("report", lambda: compliance.report(year)), ("count", plain)):
            began = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - began)
    row: dict[str, Any] = {
        "notifications": sent,
        "deliveries": counted - sent,
        "acknowledged": acknowledged,
        "parties": rows,
        "entries": found.log_size,
        "queries": len(queries),
        "repeats": size.repeats,
    }
    for name, samples in times.items():
        row[f"{name}_median_s"] = statistics.median(samples)
    row["ratio"] = row["report_median_s"] / row["count_median_s"]
    return row


def _folder(size_name: str, notifications: int, scratch: Path) -> Path:
    if size_name == "tiny":
        return scratch / f"csbm-{notifications}"
    return ROOT / "var" / "bench" / f"csbm-{notifications}-{code_version()}"


def _build(size_name: str, folders: list[Path], work: Path) -> dict[str, Any]:
    """The build child, its progress bar on this terminal (stderr is not captured)."""
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
        "ACCORD_KEK": KEK,
        "ACCORD_VAR_DIR": str(work),
        "ACCORD_DEBUG": "false",
        "ACCORD_SECRET_KEY": "bench-only-secret",
        "ACCORD_ALLOWED_HOSTS": "testserver",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.csbm_bench", "--child", "build", size_name]
        + [str(folder) for folder in folders],
        env=environment,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise SystemExit("bench.csbm_bench: the build failed")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def traffic(size_name: str, scratch: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Build what is missing (every size again when the largest is), then measure each."""
    size = SIZES[size_name]
    folders = [_folder(size_name, n, scratch) for n in size.traffic]
    built: dict[str, Any] = {"parties": size.parties, "sizes": {}, "reused": True}
    if not all((folder / "built.json").exists() for folder in folders):
        work = Path(tempfile.mkdtemp(prefix="csbm-build-", dir=scratch))
        built = _build(size_name, folders, work) | {"reused": False}
        shutil.rmtree(work)
    for n, folder in zip(size.traffic, folders, strict=True):
        built["sizes"][str(n)] = json.loads((folder / "built.json").read_text())
        inside = folder.is_relative_to(ROOT)
        built["sizes"][str(n)]["database"] = str(folder.relative_to(ROOT)) if inside else "scratch"
    measured = {
        str(n): run_child("bench.csbm_bench", ["report", size_name], folder, kek=KEK)
        for n, folder in zip(size.traffic, folders, strict=True)
    }
    small, large = (measured[str(n)] for n in (size.traffic[0], size.traffic[-1]))
    report: dict[str, Any] = {
        "sizes": measured,
        "queries_constant": len({row["queries"] for row in measured.values()}) == 1,
        "growth": size.traffic[-1] / size.traffic[0],
        "time_ratio": large["report_median_s"] / small["report_median_s"],
    }
    return built, report


# -- the run --------------------------------------------------------------------------------------


def _rows(results: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    fan, report = results["fan_out"], results["report"]
    rows = [
        (
            f"notification to {fan['recipients']} + {fan['recipients']} acknowledgements",
            f"{fan['notification_median_s'] * 1000:,.1f} ms",
            f"{fan['submissions']} bare submit() {fan['bare_median_s'] * 1000:,.1f} ms",
            f"{fan['ratio']:.2f}x",
            "<= 1.5x",
        )
    ]
    for n, row in report["sizes"].items():
        rows.append(
            (
                (
                    f"compliance report, {int(n):,} notifications ({row['entries']:,} entries),"
                    f" {row['queries']} queries"
                ),
                f"{row['report_median_s'] * 1000:,.1f} ms",
                f"COUNT {row['count_median_s'] * 1000:,.1f} ms",
                f"{row['ratio']:.2f}x",
                "-",
            )
        )
    rows.append(
        (
            f"  report time from the smallest to the largest ({report['growth']:.0f}x traffic)",
            "",
            "",
            f"{report['time_ratio']:.2f}x",
            f"~{report['growth']:.0f}x",
        )
    )
    return rows


def _line(results: dict[str, Any]) -> str:
    fan, report, built = results["fan_out"], results["report"], results["traffic"]
    parts = [
        f"csbm: fan-out to {fan['recipients']} parties {fan['ratio']:.2f}x bare submit()",
    ]
    for n, row in report["sizes"].items():
        parts.append(
            f"report at {int(n):,} notifications {row['report_median_s'] * 1000:.1f} ms"
            f" ({row['ratio']:.2f}x COUNT, {row['queries']} queries)"
        )
    parts.append(f"time ratio {report['time_ratio']:.2f} for {report['growth']:.0f}x traffic")
    largest = built["sizes"][max(built["sizes"], key=int)]
    parts.append(
        f"built {largest['entries']:,} entries in {largest['build_s']:.0f} s"
        f"{' (reused)' if built['reused'] else ''}"
    )
    return "; ".join(parts)


def main() -> None:
    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    size_name = run_size()
    size = SIZES[size_name]
    out = result_path(RESULTS)
    console = Console()
    results: dict[str, Any] = {"size": size_name}
    with tempfile.TemporaryDirectory() as scratch:
        with console.status(f"a notification to {size.fan_out} parties, {size.rounds} rounds"):
            folder = Path(scratch) / "fan-out"
            folder.mkdir()
            results["fan_out"] = run_child(
                "bench.csbm_bench", ["fan_out", size_name], folder, kek=KEK
            )
        console.print(f"heavy traffic among {size.parties} parties: {size.traffic}")
        results["traffic"], results["report"] = traffic(size_name, Path(scratch))
    for part in PARTS:
        assert part in results, f"the result has no {part} row"
    for n in size.traffic:
        assert str(n) in results["report"]["sizes"], f"the result has no report at {n}"
        assert results["report"]["sizes"][str(n)]["notifications"] == n, "a size was not built"
    assert results["report"]["queries_constant"], "the report's query count grew with traffic"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    table = Table(title="Accord CSBM: fan-out and the compliance report (ratios in one run)")
    for column in ("operation", "ours", "against", "ratio", "target"):
        table.add_column(column, justify="left" if column == "operation" else "right")
    for row in _rows(results):
        table.add_row(*row)
    console.print(table)
    console.print(_line(results), soft_wrap=True)
    console.print(f"Wrote {out}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        task, size_name, *rest = sys.argv[2:]
        if task == "fan_out":
            print(json.dumps(child_fan_out(size_name)))
        elif task == "build":
            print(json.dumps(child_build(size_name, rest)))
        else:
            print(json.dumps(child_report(size_name)))
    else:
        main()
