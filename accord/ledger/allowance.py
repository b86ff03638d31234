"""Allowances: how much a client address or a party may still submit, as token buckets.

Two kinds of bucket guard ``POST /api/v1/statements``:

- ``address:<client>``, charged for input that is not its actor's next
  statement under a valid key (junk, forgeries, replays). It is checked before
  the body is read, so an address that has sent too much junk is answered 429
  at the cost of one indexed read.
- ``party:<code>``, charged only once a statement's signature, key and sequence
  number hold, so nobody but the party can spend the party's rate before a
  deadline. It is generous: a national system sending a burst is at worst
  slowed by 429 answers whose ``Retry-After`` it can honour.

The buckets live in the database (``ledger.Allowance``) because that is the one
store every server process shares: production runs several gunicorn workers,
and a counter in each process would multiply every limit by their number,
while a separate store (Redis, memcached) would be one more service to run and
secure for one small table. Rows are updated in place, and a new address's row
first deletes the rows idle long enough to be full again (they say nothing a
missing row does not), so the table holds at most the addresses active within
one refill period. The cost: one short write transaction per submission.

The client address is ``REMOTE_ADDR``; ``X-Forwarded-For`` is believed only
when ``REMOTE_ADDR`` is one of ``ACCORD_TRUSTED_PROXIES``, and then only up to
the first hop that is not a trusted proxy, so a client cannot pick its own
address by sending the header. IPv6 clients are counted per /64, the block one
subscriber usually holds.
"""

import functools
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpRequest

from accord.ledger.models import Allowance
from accord.lib import clock

__all__ = ["Allowance", "Rate", "address_rate", "charge", "client_address", "party_rate", "spend"]

_UNIT = 1_000_000
"""One submission, in the millionths ``Allowance.level`` counts."""

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Rate:
    """A bucket's shape: ``burst`` submissions at once, refilled at ``per_minute``."""

    burst: int
    per_minute: int

    def refill_time(self) -> timedelta:
        """How long an empty bucket takes to fill again."""
        return timedelta(minutes=self.burst / self.per_minute)

    def full(self) -> int:
        return self.burst * _UNIT


def address_rate() -> Rate:
    """``ACCORD_ADDRESS_BURST`` and ``ACCORD_ADDRESS_PER_MINUTE``: unverified input per address."""
    return Rate(settings.ACCORD_ADDRESS_BURST, settings.ACCORD_ADDRESS_PER_MINUTE)


def party_rate() -> Rate:
    """``ACCORD_PARTY_BURST`` and ``ACCORD_PARTY_PER_MINUTE``: a party's verified statements."""
    return Rate(settings.ACCORD_PARTY_BURST, settings.ACCORD_PARTY_PER_MINUTE)


def waiting(key: str, rate: Rate) -> timedelta | None:
    """How long ``key`` must wait before one more submission, or None if it may send now.

    One indexed read, no lock: a few concurrent requests may pass together, and
    ``charge`` then takes their cost all the same.
    """
    row = Allowance.objects.filter(key=key).first()
    if row is None:
        return None
    return _wait(_refilled(row, rate, clock.now()), rate)


def charge(key: str, rate: Rate) -> None:
    """Take one submission from ``key``'s bucket, down to empty at most."""
    with transaction.atomic():
        now = clock.now()
        row = _locked(key, rate, now)
        row.level = max(0, _refilled(row, rate, now) - _UNIT)
        row.updated_at = now
        row.save(update_fields=["level", "updated_at"])


def spend(key: str, rate: Rate) -> timedelta | None:
    """Take one submission from ``key``'s bucket if it holds one; else how long to wait."""
    with transaction.atomic():
        now = clock.now()
        row = _locked(key, rate, now)
        level = _refilled(row, rate, now)
        wait = _wait(level, rate)
        row.level = level if wait is not None else level - _UNIT
        row.updated_at = now
        row.save(update_fields=["level", "updated_at"])
        return wait


def _locked(key: str, rate: Rate, now: datetime) -> Allowance:
    row = Allowance.objects.select_for_update().filter(key=key).first()
    if row is not None:
        return row
    # A new key: first drop the rows of its kind that have been idle long enough to be full.
    kind = key.split(":", 1)[0] + ":"
    Allowance.objects.filter(key__startswith=kind, updated_at__lt=now - rate.refill_time()).delete()
    Allowance.objects.bulk_create(
        [Allowance(key=key, level=rate.full(), updated_at=now)], ignore_conflicts=True
    )
    return Allowance.objects.select_for_update().get(key=key)


def _refilled(row: Allowance, rate: Rate, now: datetime) -> int:
    elapsed = max(0, (now - row.updated_at) // timedelta(microseconds=1))
    return min(rate.full(), row.level + elapsed * rate.per_minute // 60)


def _wait(level: int, rate: Rate) -> timedelta | None:
    if level >= _UNIT:
        return None
    return timedelta(microseconds=(_UNIT - level) * 60 // rate.per_minute + 1)


def client_address(request: HttpRequest) -> str:
    """Whom to count a request against: see the module's docstring. No database access."""
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return "unknown"
    trusted = _trusted_proxies(tuple(settings.ACCORD_TRUSTED_PROXIES))
    if any(remote in network for network in trusted):
        for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            address = _parse(hop.strip())
            if address is None:
                break
            remote = address
            if not any(address in network for network in trusted):
                break
    if isinstance(remote, ipaddress.IPv6Address):
        if remote.ipv4_mapped is not None:
            return str(remote.ipv4_mapped)
        return str(ipaddress.IPv6Network((remote, 64), strict=False))
    return str(remote)


def _parse(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@functools.cache
def _trusted_proxies(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"ACCORD_TRUSTED_PROXIES must list IP addresses or networks: {exc}"
        ) from None
