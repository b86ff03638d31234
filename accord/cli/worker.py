"""``accord worker``: the checkpointer and the outbox, in a process of their own.

In production the web server only answers requests; this process signs a
checkpoint whenever the log has grown and sends queued e-mail after commit
(DESIGN.md §2: a crash between commit and send loses nothing, the row stays
queued). ``accord serve`` runs the same rounds in a thread beside runserver.
"""

import signal
import threading
from collections.abc import Callable
from datetime import timedelta
from types import FrameType
from typing import Annotated

import typer

from accord.cli.client import console
from accord.cli.ledger import django_setup

COLLECTION_BOUND = timedelta(seconds=10)
"""The most a round spends waiting for witnesses; the checkpoint is signed and served
before, and the e-mail goes out after, whatever they do."""


def run_round(*, collect: bool = True) -> None:
    """One round: what fell due (silences to conclude, reminders), a checkpoint if a log
    exists (signed only when it has grown) and its state digest, its cosignatures
    (unless ``collect`` is False: ``run_rounds`` collects in a thread of its own), then
    the outbox.

    Costs one checkpoint signature when the log grew, one query when it did not,
    a read of every projection row when the log grew (the signed state digest), a
    few queries per app's job, one round trip per witness still missing from the
    latest checkpoint (in parallel, at most ``COLLECTION_BOUND``), and one delivery
    attempt per queued message.
    """
    from accord.ledger import outbox  # noqa: PLC0415 -- Django is set up by the caller
    from accord.ledger.models import LogState  # noqa: PLC0415
    from accord.ledger.schedule import run_due  # noqa: PLC0415
    from accord.ledger.state_digest import sign_state_digest  # noqa: PLC0415
    from accord.lib import clock  # noqa: PLC0415

    if LogState.objects.filter(pk=1).exists():
        due = run_due(clock.now())
        for failure in due.failed:
            console.print(f"[yellow]worker:[/yellow] {failure}", highlight=False)
        signed = sign_state_digest()
        if collect:
            collect_round(signed.size)
    outbox.deliver()


def collect_round(size: int | None = None) -> None:
    """Ask the witnesses missing from the latest checkpoint (or the one of ``size``).

    A failure of the forum's witness source or of the database is reported, never
    raised: the checkpoint is already signed and served, and the e-mail must go on.
    """
    from accord.ledger import cosigning  # noqa: PLC0415 -- Django is set up by the caller
    from accord.ledger.models import Checkpoint  # noqa: PLC0415

    try:
        checkpoint = Checkpoint.objects.filter(size=size).first() if size is not None else None
        collected = cosigning.collect(checkpoint, within=COLLECTION_BOUND)
    except Exception as exc:  # noqa: BLE001 -- reported; never holds back the rest
        console.print(f"[yellow]worker:[/yellow] collecting cosignatures: {exc}", highlight=False)
        return
    for name in collected.started_failing:
        failure = collected.failed[name]
        console.print(f"[yellow]worker:[/yellow] witness {name} {failure}", highlight=False)


def run_rounds(stop: threading.Event, interval: int) -> None:
    """Rounds every ``interval`` seconds until ``stop`` is set, and the witnesses asked in a
    thread of their own as often, so a witness that hangs for the whole collection bound
    delays neither the next checkpoint nor the e-mail.

    A failed round (the database busy or briefly gone) must not end the loop:
    it is reported and tried again at the next interval.
    """
    witnesses = threading.Thread(
        target=_repeat, args=(stop, interval, collect_round), name="witnesses", daemon=True
    )
    witnesses.start()
    _repeat(stop, interval, lambda: run_round(collect=False))
    witnesses.join(timeout=COLLECTION_BOUND.total_seconds())


def _repeat(stop: threading.Event, interval: int, work: Callable[[], None]) -> None:
    from django.db import close_old_connections  # noqa: PLC0415

    while not stop.is_set():
        try:
            work()
        except Exception as exc:  # noqa: BLE001 -- reported, and retried next round
            console.print(f"[yellow]worker:[/yellow] {exc}", highlight=False)
        finally:
            close_old_connections()
        stop.wait(interval)


def worker(
    interval: Annotated[int, typer.Option(help="Seconds between checkpoints at most.")] = 5,
) -> None:
    """Sign checkpoints and send queued e-mail every INTERVAL seconds; stop cleanly on SIGTERM."""
    django_setup()
    stop = threading.Event()

    def finish(signum: int, _frame: FrameType | None) -> None:
        console.print(f"worker: {signal.Signals(signum).name} received; stopping.", highlight=False)
        stop.set()

    signal.signal(signal.SIGTERM, finish)
    signal.signal(signal.SIGINT, finish)
    typer.echo(f"Worker running: a checkpoint and the outbox every {interval} seconds.")
    run_rounds(stop, interval)
    typer.echo("Worker stopped.")
