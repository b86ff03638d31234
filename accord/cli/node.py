"""``accord node …``: a party's own node, which mirrors, checks, replays and compares the log.

``init`` records the host and the log key; ``sync`` runs one round; ``run`` runs
rounds until stopped and serves the mirror (read-only, C2SP layout, with the
exchange endpoint ``/node/checkpoint``) and the party's witness; ``reset`` trusts
the host again after the operator has dealt with the evidence. Exit status 0
when all is well, 1 with a sentence when the host is not trusted or a round
failed (docs/node.md). Django is set up only inside the replay step.
"""

import signal
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from accord.cli.client import console, fail
from accord.witness.folder import WitnessFolder, WitnessFolderRefused, trusted_logs
from accord.witness.mirror import MirrorFailure
from accord.witness.mirror_server import EXCHANGE, MirrorServer
from accord.witness.node import (
    HostDistrusted,
    NodeFolder,
    NodeRefused,
    Synced,
    init_node,
    sync,
)
from accord.witness.server import WitnessServer, WitnessService
from accord.witness.store import WitnessStateDamaged

node_app = typer.Typer(
    help="Run this party's own node: mirror the log, replay it, compare, serve the mirror.",
    no_args_is_help=True,
)

StateOpt = Annotated[Path, typer.Option("--state", metavar="DIR", help="The node's folder.")]
DEFAULT_PORT = 8390
DEFAULT_WITNESS_PORT = 8380
STOP_GRACE = timedelta(seconds=10)


@node_app.command("init")
def init(
    url: Annotated[str, typer.Argument(help="The forum's address, its /log, or an exported log.")],
    party: Annotated[str, typer.Option("--party", metavar="CODE", help="This party's code.")],
    state: StateOpt,
    log_key: Annotated[
        str | None,
        typer.Option("--log-key", metavar="VKEY", help="The log key, checked out of band."),
    ] = None,
    witness: Annotated[
        Path | None,
        typer.Option(
            "--witness", metavar="DIR", help="The party's witness folder (made if missing)."
        ),
    ] = None,
    peer: Annotated[
        list[str] | None,
        typer.Option("--peer", metavar="URL", help="Another party's node. Repeat for more."),
    ] = None,
) -> None:
    """Make the node's folder DIR for the log at URL, and the party's witness if it has none.

    Without --log-key the key is fetched once from the log and printed: compare it with
    the forum out of band. A non-empty folder that is not a node is refused.
    """
    try:
        founded = init_node(
            state, url, party=party, log_key=log_key, witness=witness, peers=peer or []
        )
    except NodeRefused as exc:
        raise fail(str(exc)) from None
    config = founded.node.config
    say(f"Made the node of {config.party} for the log {config.origin} in {state}.")
    if founded.key_fetched:
        say(
            f"Log key {config.log_key}, fetched from {config.log}: compare it with the forum"
            " out of band before you rely on this node."
        )
    else:
        say(f"Log key {config.log_key} (pinned).")
    made = "Made the witness" if founded.witness_made else "The witness"
    say(f"{made} in {config.witness}; its verifier keys, for the forum:")
    for vkey in founded.witness_keys:
        typer.echo(vkey)
    say(f"The log holds {founded.size} entries; run: accord node sync --state {state}")


@node_app.command("sync")
def sync_once(
    state: StateOpt,
    receipt: Annotated[
        list[Path] | None,
        typer.Option(
            "--receipt", metavar="FILE", help="A receipt this party holds, kept and checked."
        ),
    ] = None,
) -> None:
    """Mirror the new entries, check them, replay them and compare, once."""
    node = _open(state)
    for given in receipt or []:
        try:
            node.keep_receipt(given)
        except OSError as exc:
            raise fail(f"{given}: {exc.strerror or exc}") from None
    synced = _round(node)
    if isinstance(synced, str):
        raise refused(synced)
    _report(synced)


@node_app.command("run")
def run(
    state: StateOpt,
    port: Annotated[int, typer.Option(help="The mirror's port (0: any free port).")] = (
        DEFAULT_PORT
    ),
    witness_port: Annotated[
        int, typer.Option("--witness-port", help="The witness's port (0: any free port).")
    ] = DEFAULT_WITNESS_PORT,
    interval: Annotated[int, typer.Option(min=1, help="Seconds between syncs.")] = 10,
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
) -> None:
    """Sync every INTERVAL seconds, serve the mirror on PORT and the witness on WITNESS-PORT.

    Once the host is not trusted it stops syncing but goes on serving what it accepted,
    so other parties can compare; SIGTERM or Ctrl-C stops it (exit 1 if the host is not
    trusted).
    """
    node = _open(state)
    witness = _witness(node, host, witness_port)
    try:
        mirror = MirrorServer(host, port, node.mirror.folder)
    except OSError as exc:
        raise fail(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None
    stop = threading.Event()
    _stop_on_signals(stop)
    threads = [
        threading.Thread(target=server.serve_forever, name=name, daemon=True)
        for name, server in (("mirror", mirror), ("witness", witness))
    ]
    for thread in threads:
        thread.start()
    say(f"Witness answers at {witness.url}")
    say(f"Mirror serves {mirror.url}/log and {mirror.url}{EXCHANGE}")
    distrusted = _rounds(node, stop, timedelta(seconds=interval))
    mirror.shutdown()
    witness.shutdown()
    witness.finish_requests(STOP_GRACE)
    mirror.server_close()
    witness.server_close()
    say("Node stopped.")
    if distrusted:
        raise typer.Exit(code=1)


@node_app.command("reset")
def reset(state: StateOpt) -> None:
    """Trust the host again after evidence was dealt with; every evidence file is kept."""
    node = _open(state)
    record = node.reset()
    if record is None:
        raise fail(f"the node in {state} trusts its host already; there is nothing to reset")
    kept = record.get("evidence") or "no file"
    say(f"The node in {state} trusts its host again; the evidence stays in {kept}.")


def refused(sentence: str) -> typer.Exit:
    """``fail``, unwrapped: the sentence names files and commands to copy whole."""
    console.print(f"[red]Error:[/red] {escape(sentence)}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


def say(text: str) -> None:
    """A sentence for the operator on stdout (progress and failures go to stderr)."""
    typer.echo(text)


def _open(state: Path) -> NodeFolder:
    try:
        return NodeFolder.open(state)
    except NodeRefused as exc:
        raise fail(str(exc)) from None


def _bars() -> tuple[Progress, Callable[[str, int, int], None]]:
    bars = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    )
    tasks: dict[str, Any] = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(stage, total=total)
        bars.update(tasks[stage], completed=done, total=total)

    return bars, report


def _round(node: NodeFolder) -> Synced | str:
    """One sync with progress bars: what it did, or the sentence why it did not."""
    bars, report = _bars()
    try:
        with bars:
            return sync(node, report)
    except (HostDistrusted, MirrorFailure) as exc:
        return str(exc)


def _report(synced: Synced) -> None:
    grown = synced.size - synced.previous
    say(
        f"Synced {synced.size} entries ({grown} new, {synced.blobs} blobs);"
        f" {synced.receipts} receipts held still stand."
    )
    if synced.digest:
        say(f"Replayed public digest {synced.digest}.")
    say(synced.state_digest)
    for line in synced.peers:
        say(line)


def _rounds(node: NodeFolder, stop: threading.Event, interval: timedelta) -> bool:
    """Sync until ``stop``; True if the host came to be distrusted."""
    while not stop.is_set():
        try:
            node.refuse_if_distrusted()
        except HostDistrusted as exc:
            say(str(exc))
            stop.wait()
            return True
        synced = _round(node)
        if isinstance(synced, str):
            say(synced)
        else:
            _report(synced)
        stop.wait(interval.total_seconds())
    return node.distrust_record() is not None


def _witness(node: NodeFolder, host: str, port: int) -> WitnessServer:
    try:
        folder = WitnessFolder.open(Path(node.config.witness))
        store = folder.store()
        store.remove_leftovers()
        service = WitnessService(
            cosigner=folder.cosigners(), logs=trusted_logs(folder.log_keys()), store=store
        )
        return WitnessServer(host, port, service)
    except (WitnessFolderRefused, WitnessStateDamaged) as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None


def _stop_on_signals(stop: threading.Event) -> None:
    def handle(signum: int, _frame: FrameType | None) -> None:
        say(f"node: {signal.Signals(signum).name} received; stopping.")
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
