"""Benchmarks of the conference's live speakers' list, each figure beside a trivial page of the
same server measured in the same run.

- The room's poll answer (``/conference/meetings/<meeting>/room/poll``, the partial the
  room's page fetches every few seconds) for a meeting with 200 delegations inscribed on an
  item, asked by 200 clients one after the other, each a new client as a delegate's
  browser is: median and 95th percentile latency through Django's whole stack, against
  the log's key (``/log/key``, one query and a line of text) asked the same way, turn by
  turn; target <= 2x.
- The same two pages served by the production server (``accord web``, gunicorn) on a free
  port, asked by a pool of threads over ``http.client``: requests per second, and the poll's
  as a ratio to the trivial page's.

The forum, its parties (hosted keys) and the meeting are built through the ordinary actions,
as a secretariat would run them. The poll serves the list from the cache while the log has
not grown, so a third figure is the poll right after a new entry (a point of order each
time), when the list is computed and rendered again.
Usage: python -m bench.dialogue_bench [--quick | --tiny] [--out FILE]

``--tiny`` runs every measurement at a size too small to mean anything, so that
``make test`` proves each one still runs and writes its result; its figures are never
reported.
"""

import base64
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.options import result_path, run_child, run_size

RESULTS = Path(__file__).parent / "results" / "dialogue.json"
KEK = "bench:" + base64.b64encode(b"d" * 32).decode()
ORIGIN = "bench.example/dialogue"
TRIVIAL = "/log/key"
PARTS = ("build", "latency", "after_an_entry", "throughput")


@dataclass(frozen=True)
class Size:
    delegations: int
    clients: int
    """Sequential clients polling, one request each, for each page."""
    threads: int
    requests: int
    """Requests to the production server, for each page."""
    workers: int
    entries: int
    """New entries, each followed by a poll that must compute the list again."""


SIZES = {
    "tiny": Size(delegations=5, clients=10, threads=2, requests=20, workers=1, entries=3),
    "quick": Size(delegations=50, clients=100, threads=8, requests=400, workers=2, entries=20),
    "full": Size(delegations=200, clients=200, threads=16, requests=2_000, workers=4, entries=50),
}


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    import django  # noqa: PLC0415

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415

    call_command("migrate", verbosity=0, interactive=False)


# -- building the meeting -----------------------------------------------------------------------


def _code(number: int) -> str:
    return f"P{chr(65 + number // 26)}{chr(65 + number % 26)}"


def _handle(code: str) -> str:
    return f"{code.lower()}.head"


LEVELS = ("head_of_state", "head_of_government", "minister", "ambassador", "other")


def _at(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def build(size: Size) -> tuple[int, dict[str, Any], list[Any]]:
    """A forum of ``delegations`` hosted parties, an edition under way today (UTC), its opening
    meeting begun, the agenda adopted, every party's delegation named with credentials and
    inscribed on item 1; the meeting's entry and the build's figures."""
    from accord.dialogue import actions  # noqa: PLC0415
    from accord.forum import actions as forum_actions  # noqa: PLC0415
    from accord.forum import founding  # noqa: PLC0415

    codes = [_code(n) for n in range(size.delegations)]
    toml = [
        f'[forum]\nname = "Bench"\norigin = "{ORIGIN}"\nlanguages = ["en", "ru"]',
        f'symbol_prefix = "B"\nchair = "{codes[0]}"',
    ]
    toml += [f'[[party]]\ncode = "{code}"\nname = "State {code}"' for code in codes]
    started = time.perf_counter()
    forum_actions.found_forum(founding.parse("\n".join(toml) + "\n"))
    heads = {}
    for code in codes:
        handle = _handle(code)
        forum_actions.add_person(handle, party=code, role="head", email=f"{handle}@example.org")
        forum_actions.accredit(forum_actions.as_party(code), handle, "head")
        heads[code] = forum_actions.Actor(code, handle)
    now = datetime.now(UTC).replace(microsecond=0)
    chair = heads[codes[0]]
    edition = actions.create(
        chair,
        series="bench",
        series_title="Bench Conference",
        title="Bench Conference",
        city="Minsk",
        time_zone="UTC",
        starts_on=(now - timedelta(days=1)).date().isoformat(),
        ends_on=(now + timedelta(days=1)).date().isoformat(),
        chair=codes[0],
        languages=["en", "ru"],
    ).index
    meeting = actions.add_meeting(
        chair,
        edition,
        title="Opening plenary",
        starts_at=_at(now - timedelta(minutes=5)),
        ends_at=_at(now + timedelta(hours=3)),
        room=f"Bench room {now.timestamp():.0f}",
        languages=["en", "ru"],
    ).index
    actions.propose_agenda(chair, edition, [{"number": "1", "title": "General debate"}])
    actions.adopt_agenda(chair, edition, meeting)
    dated = (now - timedelta(days=2)).date().isoformat()
    for number, code in enumerate(codes):
        level = LEVELS[number % len(LEVELS)]
        member = {"handle": _handle(code), "function": "head", "level": level}
        actions.name_delegation(heads[code], edition, [member])
        actions.submit_credentials(
            heads[code], edition, issuer="foreign_minister", instrument="note_verbale", dated=dated
        )
    actions.open_list(chair, meeting, "1")
    for code in codes:
        actions.inscribe(heads[code], meeting, "1", speaker=_handle(code))
    spent = time.perf_counter() - started
    return meeting, {"delegations": size.delegations, "build_s": spent}, list(heads.values())


# -- the pages ----------------------------------------------------------------------------------


def poll_url(meeting: int) -> str:
    from django.urls import reverse  # noqa: PLC0415

    return reverse("conference-room-poll", args=[meeting])


def _percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _latency(meeting: int, size: Size) -> dict[str, Any]:
    """Each of ``clients`` new clients asks the poll once, then the trivial page once."""
    from django.test import Client  # noqa: PLC0415

    url = poll_url(meeting)

    def get(path: str) -> bytes:
        response = Client().get(path)
        assert response.status_code == 200, (path, response.status_code)
        return bytes(response.content)

    def poll() -> bytes:
        return get(url)

    pages: dict[str, Callable[[], bytes]] = {"poll": poll, "trivial": lambda: get(TRIVIAL)}
    sizes = {name: len(page()) for name, page in pages.items()}  # warm: imports, templates
    times: dict[str, list[float]] = {"poll": [], "trivial": []}
    for _ in range(size.clients):  # turn by turn, so both meet the same machine
        for name, page in pages.items():
            started = time.perf_counter()
            page()
            times[name].append(time.perf_counter() - started)
    row: dict[str, Any] = {"url": url, "trivial_url": TRIVIAL}
    row["clients"] = size.clients
    for name in pages:
        row[f"{name}_median_s"] = statistics.median(times[name])
        row[f"{name}_p95_s"] = _percentile(times[name], 0.95)
        row[f"{name}_bytes"] = sizes[name]
    row["median_ratio"] = row["poll_median_s"] / row["trivial_median_s"]
    row["p95_ratio"] = row["poll_p95_s"] / row["trivial_p95_s"]
    return row


def _after_an_entry(meeting: int, size: Size, heads: list[Any]) -> dict[str, Any]:
    """The poll right after the log grew (a point of order each time, so the list is computed
    and rendered again), against the trivial page asked at the same turns."""
    from django.test import Client  # noqa: PLC0415

    from accord.dialogue import actions  # noqa: PLC0415

    url = poll_url(meeting)
    times: dict[str, list[float]] = {"poll": [], "trivial": []}
    for turn in range(size.entries):
        head = heads[turn % len(heads)]
        actions.inscribe(head, meeting, "1", speaker=head.person, point_of_order=True)
        for name, path in (("poll", url), ("trivial", TRIVIAL)):
            started = time.perf_counter()
            response = Client().get(path)
            times[name].append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)
    row: dict[str, Any] = {"entries": size.entries}
    for name, samples in times.items():
        row[f"{name}_median_s"] = statistics.median(samples)
    row["median_ratio"] = row["poll_median_s"] / row["trivial_median_s"]
    return row


# -- the production server ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _ask(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _serving(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"accord web stopped with status {server.returncode}")
        try:
            _ask(port, TRIVIAL)
        except OSError:
            time.sleep(0.2)
        else:
            return
    raise SystemExit("accord web did not answer within a minute")


def _throughput(meeting: int, size: Size) -> dict[str, Any]:
    """``accord web`` on a free port with this database; each page asked ``requests`` times by
    ``threads`` threads, the poll and the trivial page in turn."""
    url = poll_url(meeting)
    port = _free_port()
    accord = Path(sys.executable).with_name("accord")
    command = [str(accord)] if accord.exists() else [sys.executable, "-m", "accord.cli.main"]
    environment = {**os.environ, "ACCORD_ALLOWED_HOSTS": "127.0.0.1,testserver"}
    server = subprocess.Popen(
        [*command, "web", "--bind", f"127.0.0.1:{port}", "--workers", str(size.workers)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _serving(port, server)
        row: dict[str, Any] = {"url": url, "trivial_url": TRIVIAL}
        row |= {"threads": size.threads, "requests": size.requests, "workers": size.workers}
        with ThreadPoolExecutor(size.threads) as pool:
            for name, path in (("poll", url), ("trivial", TRIVIAL), ("poll", url)):
                started = time.perf_counter()
                statuses = list(pool.map(lambda _n, p=path: _ask(port, p), range(size.requests)))
                spent = time.perf_counter() - started
                assert set(statuses) == {200}, (path, sorted(set(statuses)))
                row[f"{name}_per_s"] = size.requests / spent  # the poll's second run counts
    finally:
        server.terminate()
        server.wait(timeout=30)
    row["ratio"] = row["poll_per_s"] / row["trivial_per_s"]
    return row


def child_dialogue(size_name: str) -> dict[str, Any]:
    _setup()
    size = SIZES[size_name]
    meeting, built, heads = build(size)
    return {
        "build": built,
        "latency": _latency(meeting, size),
        "after_an_entry": _after_an_entry(meeting, size, heads),
        "throughput": _throughput(meeting, size),
    }


def _child(size_name: str, folder: Path) -> dict[str, Any]:
    return run_child("bench.dialogue_bench", [size_name], folder, kek=KEK)


def _rows(results: dict[str, Any]) -> Iterator[tuple[str, str, str, str, str]]:
    latency, served = results["latency"], results["throughput"]
    fresh = results["after_an_entry"]
    delegations = results["build"]["delegations"]
    yield (
        f"poll, {delegations} inscribed, {latency['clients']} clients: median",
        f"{latency['poll_median_s'] * 1000:,.2f} ms",
        f"{TRIVIAL} {latency['trivial_median_s'] * 1000:,.2f} ms",
        f"{latency['median_ratio']:.2f}x",
        "<= 2x",
    )
    yield (
        "  95th percentile",
        f"{latency['poll_p95_s'] * 1000:,.2f} ms",
        f"{TRIVIAL} {latency['trivial_p95_s'] * 1000:,.2f} ms",
        f"{latency['p95_ratio']:.2f}x",
        "<= 2x",
    )
    yield (
        f"  right after a new entry ({fresh['entries']} entries): median",
        f"{fresh['poll_median_s'] * 1000:,.2f} ms",
        f"{TRIVIAL} {fresh['trivial_median_s'] * 1000:,.2f} ms",
        f"{fresh['median_ratio']:.2f}x",
        "-",
    )
    yield (
        f"accord web, {served['workers']} workers, {served['threads']} threads",
        f"{served['poll_per_s']:,.0f}/s",
        f"{TRIVIAL} {served['trivial_per_s']:,.0f}/s",
        f"{served['ratio']:.2f}",
        ">= 0.5",
    )


def _line(results: dict[str, Any]) -> str:
    latency, served = results["latency"], results["throughput"]
    fresh = results["after_an_entry"]
    return (
        f"dialogue: {results['build']['delegations']} inscribed; poll median"
        f" {latency['poll_median_s'] * 1000:.2f} ms ({latency['median_ratio']:.2f}x {TRIVIAL}),"
        f" p95 {latency['poll_p95_s'] * 1000:.2f} ms ({latency['p95_ratio']:.2f}x); after a new"
        f" entry {fresh['poll_median_s'] * 1000:.2f} ms ({fresh['median_ratio']:.2f}x); accord web"
        f" {served['poll_per_s']:.0f} requests/s ({served['ratio']:.2f} of {TRIVIAL}'s"
        f" {served['trivial_per_s']:.0f}/s)"
    )


def main() -> None:
    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    size_name = run_size()
    size = SIZES[size_name]
    out = result_path(RESULTS)
    console = Console()
    with (
        tempfile.TemporaryDirectory() as scratch,
        console.status(f"a meeting with {size.delegations} delegations inscribed"),
    ):
        results = _child(size_name, Path(scratch))
    for part in PARTS:
        assert part in results, f"the result has no {part} row"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    table = Table(title="Accord conference: the live speakers' list (ratios measured in one run)")
    for column in ("operation", "ours", "against", "ratio", "target"):
        table.add_column(column, justify="left" if column == "operation" else "right")
    for row in _rows(results):
        table.add_row(*row)
    console.print(table)
    console.print(_line(results), soft_wrap=True)
    console.print(f"Wrote {out}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child_dialogue(sys.argv[2])))
    else:
        main()
