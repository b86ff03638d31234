"""The compliance picture: per party and year, what it sent on time or late, what it
acknowledged, the replies it owed, and the quotas it used and gave.

Public, like the log it is read from: only the public projections (``Notification``,
``Delivery``, ``Case``, ``Missed``) and only their public columns are read, never a sealed
body, a prior notification's assessment or its calendar finding. The whole report costs a
constant number of queries whatever the traffic (``QUERIES``): each projection is
aggregated once with GROUP BY and conditional counts, so a year of 10⁴ notifications to 57
parties costs the same queries as a year of ten, and time linear in the rows counted.

A notification is counted in the year the log took it (``logged_at``, UTC), and so are its
deliveries, its case and its missed deadlines: the year the projections keep.
"""

import csv
import io
from dataclasses import asdict, dataclass, fields
from typing import Any

from django.db.models import Count, Q
from django.utils import translation

from accord.csbm.models import Case, Delivery, Missed, Notification
from accord.csbm.rules import csbm_rules, evaluation_quota
from accord.forum.models import ForumParty
from accord.ledger.models import LogState
from accord.ledger.names import common_name

QUERIES = 9
"""What ``report()`` costs in queries, whatever the traffic (asserted by the tests)."""


@dataclass(frozen=True)
class PartyYear:
    """One party's year. ``sent_*`` judge its notifications against the rule that set their
    deadline (a prior notification's lead time, an annual one's day, a reply's deadline);
    ``acknowledg*`` its acknowledgements of notifications sent to it; ``replies_*`` the
    requests made of it; the quotas, visits received against the profile's caps."""

    party: str
    name: str
    sent: int = 0
    sent_with_deadline: int = 0
    sent_on_time: int = 0
    sent_late: int = 0
    received: int = 0
    acknowledged: int = 0
    acknowledged_on_time: int = 0
    acknowledged_late: int = 0
    acknowledgements_overdue: int = 0
    """Deliveries for which the scheduler recorded a ``csbm.deadline.missed``."""
    unacknowledged: int = 0
    """Deliveries still open (overdue or not)."""
    overdue_unacknowledged: int = 0
    """Deliveries recorded overdue and still open (an overdue one acknowledged afterwards
    counts as acknowledged late)."""
    replies_owed: int = 0
    replied_on_time: int = 0
    replied_late: int = 0
    replies_missed: int = 0
    inspections_received: int = 0
    inspection_quota: int = 0
    evaluations_received: int = 0
    evaluation_quota: int = 0
    inspections_made: int = 0
    evaluations_made: int = 0


COLUMNS: tuple[str, ...] = tuple(field.name for field in fields(PartyYear))


@dataclass(frozen=True)
class Report:
    """A year's compliance picture under the profile version in force when it was drawn
    (the quotas' caps come from it; each deadline counted kept its own version)."""

    year: int
    profile_version: int
    regime: str
    log_size: int
    rows: list[PartyYear]


def _counts(rows: Any, key: str) -> dict[str, dict[str, int]]:
    return {row.pop(key): row for row in rows}


def report(year: int, language: str | None = None) -> Report:
    """The compliance picture of ``year``, parties named in ``language`` (the active one by
    default); ``QUERIES`` queries, each a GROUP BY over the year's rows."""
    version, rules = csbm_rules()
    log_size = LogState.objects.values_list("size", flat=True).first() or 0
    parties = list(ForumParty.objects.values_list("code", "name", "status"))
    sent = _counts(
        Notification.objects.filter(year=year)
        .values("sender")
        .annotate(
            sent=Count("entry_index"),
            sent_with_deadline=Count("entry_index", filter=Q(on_time__isnull=False)),
            sent_on_time=Count("entry_index", filter=Q(on_time=True)),
            sent_late=Count("entry_index", filter=Q(on_time=False)),
        )
        .order_by(),
        "sender",
    )
    received = _counts(
        Delivery.objects.filter(year=year)
        .values("recipient")
        .annotate(
            received=Count("id"),
            acknowledged=Count("id", filter=Q(ack_entry__isnull=False)),
            acknowledged_on_time=Count("id", filter=Q(ack_on_time=True)),
            acknowledged_late=Count("id", filter=Q(ack_on_time=False)),
            acknowledgements_overdue=Count("id", filter=Q(overdue_entry__isnull=False)),
            unacknowledged=Count("id", filter=Q(ack_entry__isnull=True)),
            overdue_unacknowledged=Count(
                "id", filter=Q(ack_entry__isnull=True, overdue_entry__isnull=False)
            ),
        )
        .order_by(),
        "recipient",
    )
    missed = _counts(
        Missed.objects.filter(year=year, what="reply")
        .values("party")
        .annotate(replies_missed=Count("entry_index"))
        .order_by(),
        "party",
    )
    visits = Q(counted=True)
    asked = _counts(
        Case.objects.filter(year=year)
        .values("counterpart")
        .annotate(
            replies_owed=Count("entry_index"),
            replied_on_time=Count("entry_index", filter=Q(reply_on_time=True)),
            replied_late=Count("entry_index", filter=Q(reply_on_time=False)),
            inspections_received=Count("entry_index", filter=visits & Q(kind="inspection")),
            evaluations_received=Count("entry_index", filter=visits & Q(kind="evaluation")),
        )
        .order_by(),
        "counterpart",
    )
    made = _counts(
        Case.objects.filter(year=year, counted=True)
        .values("initiator")
        .annotate(
            inspections_made=Count("entry_index", filter=Q(kind="inspection")),
            evaluations_made=Count("entry_index", filter=Q(kind="evaluation")),
        )
        .order_by(),
        "initiator",
    )
    # The unit count of each party's current exchange of information for the year, as the
    # evaluation quota is judged (``statements._evaluation_quota``): the latest one kept.
    units: dict[str, int] = {}
    for sender, facts in (
        Notification.objects.filter(
            format="annual-exchange", superseded_by__isnull=True, facts__year=year
        )
        .order_by("entry_index")
        .values_list("sender", "facts")
    ):
        units[sender] = int(facts.get("unit_count", 0))

    taking_part = {code for code, _name, status in parties if status == "participating"}
    taking_part |= set(sent) | set(received)
    registered = {code: name for code, name, _status in parties}
    reader = language or translation.get_language() or "en"
    passive = rules.inspection.passive_per_year.value
    rows = []
    for code in taking_part:
        counts: dict[str, int] = {}
        for found in (sent, received, missed, asked, made):
            counts.update(found.get(code, {}))
        rows.append(
            PartyYear(
                party=code,
                name=common_name(code, registered.get(code, code), reader),
                inspection_quota=passive,
                evaluation_quota=evaluation_quota(units.get(code, 0), rules.evaluation),
                **counts,
            )
        )
    rows.sort(key=lambda row: (row.name.casefold(), row.party))
    return Report(year, version, rules.regime, log_size, rows)


def as_json(found: Report) -> dict[str, Any]:
    """The report as JSON: the year, the profile version and regime it was drawn under, the
    log's size when drawn, and one object per party."""
    return {
        "year": found.year,
        "profile_version": found.profile_version,
        "regime": found.regime,
        "log_size": found.log_size,
        "parties": [asdict(row) for row in found.rows],
    }


def as_csv(found: Report) -> str:
    """RFC 4180: a header row of ``COLUMNS``, one row per party, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in found.rows:
        writer.writerow([getattr(row, column) for column in COLUMNS])
    return out.getvalue()


TEXT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("sent", "sent"),
    ("on time", "sent_on_time"),
    ("late", "sent_late"),
    ("recv", "received"),
    ("ack", "acknowledged"),
    ("ack late", "acknowledged_late"),
    ("overdue", "acknowledgements_overdue"),
    ("open", "unacknowledged"),
    ("owed", "replies_owed"),
    ("replied", "replied_on_time"),
    ("repl late", "replied_late"),
    ("missed", "replies_missed"),
)


def as_text(found: Report) -> str:
    """A table a terminal prints: notifications, acknowledgements and replies per party,
    then the inspections and evaluation visits received against their quotas."""
    head = [
        (
            f"Compliance {found.year}: {found.regime}, profile version {found.profile_version},"
            f" log of {found.log_size} entries"
        )
    ]
    if not found.rows:
        return "\n".join([*head, "No party took part."]) + "\n"
    width = max(len("party"), *(len(f"{row.name} ({row.party})") for row in found.rows))
    titles = [title for title, _name in TEXT_COLUMNS] + ["inspections", "evaluations"]
    cells = [
        [
            f"{row.name} ({row.party})",
            *(str(getattr(row, name)) for _title, name in TEXT_COLUMNS),
            f"{row.inspections_received}/{row.inspection_quota}",
            f"{row.evaluations_received}/{row.evaluation_quota}",
        ]
        for row in found.rows
    ]
    sizes = [width] + [
        max(len(title), *(len(line[n + 1]) for line in cells)) for n, title in enumerate(titles)
    ]

    def line(values: list[str]) -> str:
        first = values[0].ljust(sizes[0])
        rest = (value.rjust(size) for value, size in zip(values[1:], sizes[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    table = [line(["party", *titles]), line(["-" * size for size in sizes])]
    table += [line(values) for values in cells]
    return "\n".join([*head, "", *table]) + "\n"


def charts_svg(found: Report) -> list[str]:
    """The report's charts as inline SVG (``accord.csbm.chart``)."""
    from accord.csbm import chart  # noqa: PLC0415 -- drawing only when charts are asked for

    return chart.charts(found)
