"""The CSBM pages' reads, each a fixed number of queries (its docstring says how many)
whatever the number of notifications, recipients or cases: rows are fetched per table in one
query and joined here, never one query a row.

Party names are not read here: pages print them from the ``parties`` register the layout's
context loads once (``accord.ledger.names``). Nothing here decides who may read a content:
``statements.may_read`` does, and the views ask it before they call ``content``.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count

from accord.csbm.models import Case, Delivery, Missed, Notification, Sealed, Webhook
from accord.csbm.rules import (
    CsbmRules,
    evaluation_per_requester,
    evaluation_quota,
)
from accord.forum.models import ForumParty
from accord.ledger.envelope import format_time, parse_time

PUBLIC_ROWS = 200
"""How many notifications the public list shows, newest first: the whole history is in the
log, and a page of two hundred rows is what a reader scans."""


@dataclass(frozen=True)
class Received:
    """A notification as its recipient sees it in the inbox: the delivery is the reader's."""

    notification: Notification
    delivery: Delivery


@dataclass(frozen=True)
class Sent:
    """A notification as its sender sees it in the outbox: how many acknowledged of how many."""

    notification: Notification
    acknowledged: int
    recipients: int


def inbox(party: str, *, overdue: bool = False, now: datetime | None = None) -> list[Received]:
    """Notifications delivered to ``party``, newest first; with ``overdue``, only those it
    has not acknowledged past their deadline (at ``now``). Two queries."""
    deliveries = Delivery.objects.filter(recipient=party).order_by("-notification")
    if overdue and now is not None:
        moment = format_time(now)
        deliveries = deliveries.filter(ack_entry__isnull=True, ack_due__lt=moment)
    rows = list(deliveries[:PUBLIC_ROWS])
    found = Notification.objects.in_bulk([row.notification for row in rows])
    return [Received(found[row.notification], row) for row in rows if row.notification in found]


def outbox(party: str) -> list[Sent]:
    """``party``'s own notifications, newest first, with their acknowledgement counts. Two
    queries."""
    rows = list(Notification.objects.filter(sender=party).order_by("-entry_index")[:PUBLIC_ROWS])
    counts = {
        row["notification"]: (row["acked"], row["total"])
        for row in Delivery.objects.filter(notification__in=[n.entry_index for n in rows])
        .values("notification")
        .annotate(total=Count("id"), acked=Count("ack_entry"))
    }
    return [Sent(row, *counts.get(row.entry_index, (0, 0))) for row in rows]


def public() -> list[Notification]:
    """The latest notifications, facts only (the rows hold no content); one query."""
    return list(Notification.objects.order_by("-entry_index")[:PUBLIC_ROWS])


def notification(entry: int) -> Notification | None:
    """One query."""
    return Notification.objects.filter(entry_index=entry).first()


def deliveries(entry: int) -> list[Delivery]:
    """Every recipient's delivery of a notification, by party code; one query."""
    return list(Delivery.objects.filter(notification=entry).order_by("recipient"))


def missed(entry: int) -> list[Missed]:
    """The missed deadlines the secretariat recorded on a notification; one query."""
    return list(Missed.objects.filter(notification=entry).order_by("entry_index"))


def content(notification_row: Notification) -> dict[str, Any] | None:
    """The sealed payload of a notification (None when this host holds no body); one query.
    Call it only for a reader ``statements.may_read`` allows."""
    sealed = Sealed.objects.filter(entry_index=notification_row.content).first()
    return sealed.payload if sealed is not None else None


def case(entry: int) -> Case | None:
    """One query."""
    return Case.objects.filter(entry_index=entry).first()


def thread(case_entry: int) -> list[Notification]:
    """The notifications that answer a case (replies, meeting requests, reports), in order;
    one query."""
    return list(Notification.objects.filter(case=case_entry).order_by("entry_index"))


def cases(*kinds: str) -> list[Case]:
    """The cases of ``kinds``, newest first; one query."""
    return list(Case.objects.filter(kind__in=kinds).order_by("-entry_index"))


def participating() -> list[str]:
    """The participating parties' codes, sorted; one query."""
    return sorted(ForumParty.objects.filter(status="participating").values_list("code", flat=True))


@dataclass
class Quota:
    """One receiving party's inspections or evaluation visits in a year: how many it
    accepted of how many it must, and how many came from each requester."""

    party: str
    used: int
    cap: int
    share: int
    """The most one requester may make to this party this year."""
    by_requester: dict[str, int] = field(default_factory=dict)
    units: int | None = None
    """For evaluations: the units the party reported, which set its quota."""


def _counted(kind: str, year: int) -> dict[str, dict[str, int]]:
    counted: dict[str, dict[str, int]] = {}
    for row in (
        Case.objects.filter(kind=kind, year=year, counted=True)
        .values("counterpart", "initiator")
        .annotate(visits=Count("entry_index"))
    ):
        counted.setdefault(row["counterpart"], {})[row["initiator"]] = row["visits"]
    return counted


def _units(year: int) -> dict[str, int]:
    """Each party's reported units for ``year``, from its latest exchange not superseded."""
    units: dict[str, int] = {}
    for row in Notification.objects.filter(
        format="annual-exchange", superseded_by__isnull=True
    ).order_by("entry_index"):
        if row.facts.get("year") == year:
            units[row.sender] = int(row.facts.get("unit_count", 0))
    return units


def quotas(year: int, rules: CsbmRules, parties: list[str]) -> tuple[list[Quota], list[Quota]]:
    """The inspection and evaluation quotas of each party in ``year`` under ``rules``; three
    queries whatever the number of parties and visits."""
    inspections, evaluations = _counted("inspection", year), _counted("evaluation", year)
    units = _units(year)
    passive = rules.inspection
    inspected = [
        Quota(
            code,
            sum(inspections.get(code, {}).values()),
            passive.passive_per_year.value,
            passive.per_requester_per_year.value,
            inspections.get(code, {}),
        )
        for code in parties
    ]
    evaluated = []
    for code in parties:
        cap = evaluation_quota(units.get(code, 0), rules.evaluation)
        evaluated.append(
            Quota(
                code,
                sum(evaluations.get(code, {}).values()),
                cap,
                evaluation_per_requester(cap, rules.evaluation) if cap else 0,
                evaluations.get(code, {}),
                units.get(code, 0),
            )
        )
    return inspected, evaluated


def webhook(party: str) -> Webhook | None:
    """The address ``party`` registered for its national system; one query. Show it to that
    party alone."""
    return Webhook.objects.filter(party=party).order_by("-entry_index").first()


def years() -> list[int]:
    """The years notifications were sent in, latest first; one query."""
    return sorted(set(Notification.objects.values_list("year", flat=True).distinct()), reverse=True)


def hours_left(deadline: str, now: datetime) -> int:
    """Whole hours (rounded up) from ``now`` to ``deadline``; negative once it passed."""
    seconds = (parse_time(deadline) - now).total_seconds()
    return int(-(-seconds // 3600)) if seconds > 0 else int(seconds // 3600)
