"""What falls due with time: the rounds of ``accord tick`` and of the worker run each app's jobs.

A silence procedure ends, a notification becomes overdue: the outcome is
concluded by a statement the secretariat appends after the deadline (DESIGN.md
§3), whose ``check`` recomputes it from the log. The ledger imports no app, so
each app registers its jobs here when it loads; a round calls every job with
the host's clock and reports what each did. A job that fails is reported and
the others still run: one stuck procedure must not stop the rest.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

Job = Callable[[datetime], list[str]]
"""A job: the time now in, one sentence per thing it did out."""

JOBS: list[tuple[str, Job]] = []


def due_job(name: str) -> Callable[[Job], Job]:
    """Register ``job`` to run at every round, under ``name`` (for reports)."""

    def register(job: Job) -> Job:
        if any(known == name for known, _job in JOBS):
            raise RuntimeError(f"the job {name} is registered twice")
        JOBS.append((name, job))
        return job

    return register


@dataclass(frozen=True)
class Round:
    done: list[str]
    failed: list[str]


def run_due(now: datetime) -> Round:
    """Run every registered job once; what they did and which failed (with why)."""
    done: list[str] = []
    failed: list[str] = []
    for name, job in JOBS:
        try:
            done.extend(job(now))
        except Exception as exc:  # noqa: BLE001 -- reported; the other jobs still run
            failed.append(f"{name}: {exc}")
    return Round(done, failed)
