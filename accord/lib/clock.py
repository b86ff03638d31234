"""The host's clock, injectable only to build a simulated demo history.

The log's own time is ``logged_at``, set from this clock under the log lock and
never allowed to go backwards (DESIGN.md §1, idea 4). Tests and the demo
builder replace the clock with ``simulated``; nothing else may.
"""

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from datetime import UTC, datetime

_override: ContextVar[Callable[[], datetime] | None] = ContextVar("accord_clock", default=None)


def now() -> datetime:
    """The current time, aware and in UTC."""
    override = _override.get()
    return override() if override else datetime.now(UTC)


@contextlib.contextmanager
def simulated(source: Callable[[], datetime]) -> Iterator[None]:
    """Within the block, ``now()`` asks ``source``; for demo building and tests."""
    token = _override.set(source)
    try:
        yield
    finally:
        _override.reset(token)
