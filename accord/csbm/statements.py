"""The CSBM statement kinds: sealed content, notifications, acknowledgements, missed
deadlines, closed cases and the webhook a party registers for its national system.

A notification is two entries made in one transaction: its content, sealed (restricted by
default, so the log holds only a commitment to it and the body goes to its recipients
alone), then the public notification naming the format, the recipients, the public facts
its rules are judged on and the content entry. Anyone replaying the public log can thus
check who notified whom of what kind, when, against which deadline and quota; the parties
entitled to the content also check that the public facts are the content's own.

Deadlines are computed from ``logged_at`` under the profile version in force and kept
with it (``accord.csbm.rules``): a later amendment never moves an earlier deadline, and the
scheduler's ``csbm.deadline.missed`` is checked against the version its notification kept.
Quotas are counted in ``check`` under the log's write lock, so two requests cannot both
take the last place.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from ipaddress import ip_address
from typing import Any, Literal
from urllib.parse import urlsplit

from django.db import connection
from pydantic import Field, ValidationError, field_validator

from accord.csbm.formats import FORMATS, Format, Payload
from accord.csbm.models import PROJECTIONS, Case, Delivery, Missed, Notification, Sealed, Webhook
from accord.csbm.rules import (
    CsbmRules,
    csbm_rules,
    due,
    evaluation_per_requester,
    evaluation_quota,
    rules_at,
)
from accord.csbm.thresholds import ALERT, Assessment, Forces, assess
from accord.forum import queries as forum_queries
from accord.forum.models import ForumParty
from accord.ledger.digest import register_projection
from accord.ledger.envelope import Statement, format_time, parse_time
from accord.ledger.errors import Malformed, NotAllowed
from accord.ledger.models import Entry
from accord.ledger.registry import Body, Context, read_rule, statement_kind

for _model in PROJECTIONS:
    register_projection(_model)

FormatName = Field(pattern=r"^[a-z][a-z-]{1,63}$")
DELIVERIES = Delivery._meta.db_table  # noqa: SLF001 -- Django's public spelling
GIVEN_SQL = f"SELECT ack_entry FROM {DELIVERIES} WHERE notification = %s AND recipient = %s"  # noqa: S608 -- names from our own models, values bound
ACKNOWLEDGE_SQL = (
    f"UPDATE {DELIVERIES} SET acknowledged_at = %s, ack_entry = %s, ack_on_time = (ack_due >= %s)"  # noqa: S608 -- names from our own models, values bound
    " WHERE notification = %s AND recipient = %s"
)


# -- reads for check and apply -------------------------------------------------------------------


def participating() -> list[str]:
    """The participating parties' codes, sorted; one query."""
    return sorted(ForumParty.objects.filter(status="participating").values_list("code", flat=True))


def _participating(code: str, what: str) -> None:
    found = forum_queries.party(code)
    if found is None or found.status != "participating":
        raise NotAllowed(f"{code} is not a participating party; {what}", "not_participating")


def _format(name: str, v: int) -> Format:
    fmt = FORMATS.get(name)
    if fmt is None:
        raise Malformed(
            f"{name!r} is not a notification format ({', '.join(sorted(FORMATS))})",
            "unknown_format",
        )
    if fmt.v != v:
        raise Malformed(f"{name} has schema version {fmt.v}, not {v}", "unknown_format")
    return fmt


def payload_of(fmt: Format, data: dict[str, Any]) -> Payload:
    """The payload validated against its format, or a bad body naming the first fault."""
    try:
        return fmt.model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the body"
        raise Malformed(f"{fmt.id}: {where}: {first['msg']}", "bad_payload") from error


def _notification(entry: int) -> Notification:
    found = Notification.objects.filter(entry_index=entry).first()
    if found is None:
        raise NotAllowed(f"entry {entry} is not a notification", "no_notification")
    return found


def _case(entry: int) -> Case:
    found = Case.objects.filter(entry_index=entry).first()
    if found is None:
        raise NotAllowed(
            f"entry {entry} opened no consultation, inspection or evaluation", "no_case"
        )
    return found


def _day(facts: dict[str, Any], name: str) -> date:
    try:
        return date.fromisoformat(str(facts[name]))
    except (KeyError, ValueError) as error:
        raise Malformed(f"the public facts need the date {name}", "bad_facts") from error


def _year(facts: dict[str, Any]) -> int:
    year = facts.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        raise Malformed("the public facts need the year", "bad_facts")
    return year


def _latest(sender: str, fmt: str, year: int) -> Notification | None:
    """The sender's current (not superseded) notification of ``fmt`` for ``year``."""
    for found in Notification.objects.filter(
        sender=sender, format=fmt, superseded_by__isnull=True
    ).order_by("-entry_index"):
        if found.facts.get("year") == year:
            return found
    return None


def entry_fact(facts: dict[str, Any], name: str) -> int | None:
    """An entry index among the public facts (``in_reply_to``, ``supersedes``), if given; a
    bad body when it is not a whole number, since a public replay must read it as signed."""
    entry = facts.get(name)
    if entry is None:
        return None
    if not isinstance(entry, int) or isinstance(entry, bool) or entry < 0:
        raise Malformed(f"the public fact {name} is an entry index", "bad_facts")
    return entry


def _answered(fmt: Format, facts: dict[str, Any]) -> tuple[Case, Notification]:
    """The case a reply or follow-up answers, if it is still open."""
    entry = entry_fact(facts, "in_reply_to")
    if entry is None:
        raise Malformed(f"{fmt.id} names the request it answers (in_reply_to)", "bad_facts")
    request = _notification(entry)
    if request.format not in fmt.answers:
        raise NotAllowed(
            f"entry {entry} is a {request.format}; a {fmt.id} answers a {' or '.join(fmt.answers)}",
            "wrong_request",
        )
    case = _case(request.entry_index)
    if case.state == "closed":
        raise NotAllowed(
            f"the {case.kind} opened by entry {case.entry_index} was closed; nothing more is"
            " sent in it",
            "case_closed",
        )
    return case, request


def _only(actor: str, party: str, who: str) -> None:
    if actor != party:
        raise NotAllowed(f"only {party}, {who}, sends this", "not_your_turn")


def _is_late(now: datetime, deadline: str) -> bool:
    return bool(deadline) and now > parse_time(deadline)


# -- the content ---------------------------------------------------------------------------------


@statement_kind("csbm.content.sealed", 1, distributions=("restricted", "public"))
class ContentSealed(Body):
    """A party seals a notification's content: its format, schema version and payload, which
    must validate against the format's JSON Schema. Restricted by default, the log holds only
    a commitment and the body reaches the notification's recipients alone; the public
    notification that follows names it."""

    format: str = FormatName
    schema_version: int = Field(ge=1)
    payload: dict[str, Any]

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body
        if isinstance(body, ContentSealed):
            payload_of(_format(body.format, body.schema_version), body.payload)

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body
        assert body is None or isinstance(body, ContentSealed)
        Sealed.objects.create(
            entry_index=ctx.index,
            party=ctx.actor,
            distribution=ctx.statement.distribution,
            commitment=str(ctx.statement.body.get("commitment", "")),
            format=body.format if body else "",
            v=body.schema_version if body else 0,
            payload=dict(body.payload) if body else None,
            sealed_at=format_time(ctx.logged_at),
        )


def may_read(notification: Notification, party: str | None, secretariat: str | None) -> bool:
    """Whether a reader for ``party`` (None: signed out) may read a notification's content:
    its sender, its recipients and the secretariat (which runs the hub); anyone when public.
    Pages, API answers, exports and e-mails all ask this."""
    if notification.distribution == "public":
        return True
    if party is None:
        return False
    return party in (notification.sender, secretariat) or party in notification.recipients


@read_rule("csbm.content.sealed")
def _who_reads_sealed_content(statement: Statement, party: str) -> bool:
    """The recipients of the notification that names the content (its sender and the
    secretariat read every restricted body anyway)."""
    commitment = str(statement.body.get("commitment", ""))
    sealed = Sealed.objects.filter(commitment=commitment).first() if commitment else None
    found = Notification.objects.filter(content=sealed.entry_index).first() if sealed else None
    return found is not None and party in found.recipients


# -- the notification ----------------------------------------------------------------------------


def recipients_for(
    fmt: Format, actor: str, payload: Payload | None, facts: dict[str, Any]
) -> list[str]:
    """Who receives a notification: every other participating party, the addressees its
    payload names, or the sender of the request it answers; sorted."""
    if fmt.scope == "all":
        return [code for code in participating() if code != actor]
    if fmt.scope == "answers":
        # The other side of the conversation: the requesting party answers the party asked
        # (a meeting request), the party asked answers the requester (a reply).
        case, _request = _answered(fmt, facts)
        return [case.counterpart if actor == case.initiator else case.initiator]
    named = getattr(payload, fmt.addressee) if payload is not None else facts.get(fmt.addressee)
    codes = [named] if isinstance(named, str) else list(named or [])
    return sorted(set(codes))


@statement_kind("csbm.notification.sent", 1)
class NotificationSent(Body):
    """A participating party sends a notification: its format and schema version, the sealed
    content entry, its recipients (every other participating party, the addressees a
    bilateral format names, or the sender of the request it answers) and its public facts
    (the dates, year, addressee or request its rules are judged on). Each recipient has a
    delivery and an acknowledgement due under the profile; a prior notification is judged
    against the lead time, a reply against its case's deadline, a request against the
    receiving party's quota. A correction supersedes an earlier notification of the same
    format and sender, never edits it."""

    format: str = FormatName
    schema_version: int = Field(ge=1)
    content: int = Field(ge=0)
    to: list[str] = Field(max_length=200)
    facts: dict[str, Any] = Field(default_factory=dict)

    @field_validator("to")
    @classmethod
    def _sorted_codes(cls, codes: list[str]) -> list[str]:
        if codes != sorted(set(codes)):
            raise ValueError("the recipients are listed once each, sorted")
        return codes

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(NotificationSent)
        fmt = _format(body.format, body.schema_version)
        _participating(ctx.actor, "only participating parties send notifications")
        payload = cls._sealed_payload(ctx, body, fmt)
        cls._recipients(ctx, body, fmt, payload)
        cls._supersedes(ctx, body, fmt)
        version, rules = csbm_rules()
        RULES[fmt.id].check(Judged(ctx, fmt, body.facts, payload, rules, version))

    @staticmethod
    def _sealed_payload(ctx: Context, body: "NotificationSent", fmt: Format) -> Payload | None:
        """The sealed content's payload (None when this log holds no restricted body), once
        the content is the sender's own, unsent, and its facts are the public ones."""
        sealed = Sealed.objects.filter(entry_index=body.content).first()
        if sealed is None or sealed.party != ctx.actor:
            raise NotAllowed(f"entry {body.content} is no content {ctx.actor} sealed", "not_sealed")
        if Notification.objects.filter(content=body.content).exists():
            raise NotAllowed(f"the content of entry {body.content} was sent", "content_sent")
        if sealed.payload is None:
            return None
        if (sealed.format, sealed.v) != (fmt.id, fmt.v):
            raise NotAllowed(
                f"entry {body.content} holds a {sealed.format} v{sealed.v}", "facts_mismatch"
            )
        payload = payload_of(fmt, sealed.payload)
        if fmt.facts_of(payload) != body.facts:
            raise NotAllowed("the public facts are not the sealed content's own", "facts_mismatch")
        return payload

    @staticmethod
    def _recipients(
        ctx: Context, body: "NotificationSent", fmt: Format, payload: Payload | None
    ) -> None:
        # A public replay holds no payload: a bilateral format's addressees are then the ones
        # the signed notification names (each still a participating party, checked below).
        blind = payload is None and fmt.scope == "addressee" and fmt.addressee not in fmt.facts
        expected = body.to if blind else recipients_for(fmt, ctx.actor, payload, body.facts)
        if body.to != expected:
            raise NotAllowed(
                f"a {fmt.id} goes to {', '.join(expected) or 'nobody'}", "wrong_recipients"
            )
        if not body.to:
            raise NotAllowed("a notification needs at least one recipient", "wrong_recipients")
        if ctx.actor in body.to:
            raise NotAllowed("a party does not notify itself", "wrong_recipients")
        taking_part = set(participating())
        outside = [code for code in body.to if code not in taking_part]
        if outside:
            raise NotAllowed(
                f"{', '.join(outside)}: not participating; notifications go to participating"
                " parties",
                "not_participating",
            )

    @staticmethod
    def _supersedes(ctx: Context, body: "NotificationSent", fmt: Format) -> None:
        superseded = entry_fact(body.facts, "supersedes")
        if superseded is None:
            return
        earlier = _notification(superseded)
        if earlier.sender != ctx.actor or earlier.format != fmt.id:
            raise NotAllowed(
                f"entry {superseded} is not a {fmt.id} of {ctx.actor}; a correction"
                " supersedes one's own notification of the same format",
                "not_yours",
            )
        if earlier.superseded_by is not None:
            raise NotAllowed(
                f"entry {superseded} was superseded by entry {earlier.superseded_by}",
                "superseded",
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(NotificationSent)
        fmt = FORMATS[body.format]
        version, rules = csbm_rules()
        sealed = Sealed.objects.get(entry_index=body.content)
        payload = payload_of(fmt, sealed.payload) if sealed.payload is not None else None
        notification = Notification(
            entry_index=ctx.index,
            sender=ctx.actor,
            format=fmt.id,
            v=fmt.v,
            content=body.content,
            distribution=sealed.distribution,
            recipients=body.to,
            facts=body.facts,
            supersedes=entry_fact(body.facts, "supersedes"),
            year=ctx.logged_at.year,
            profile_version=version,
            sent_at=format_time(ctx.logged_at),
            ack_due=format_time(
                due(ctx.logged_at, rules.acknowledgement.within, rules.acknowledgement)
            ),
        )
        RULES[fmt.id].apply(Judged(ctx, fmt, body.facts, payload, rules, version), notification)
        notification.save()
        if notification.supersedes is not None:
            Notification.objects.filter(entry_index=notification.supersedes).update(
                superseded_by=ctx.index
            )
        Delivery.objects.bulk_create(
            Delivery(
                notification=ctx.index,
                recipient=code,
                sender=ctx.actor,
                year=notification.year,
                ack_due=notification.ack_due,
            )
            for code in body.to
        )

    @classmethod
    def deliver(cls, ctx: Context) -> None:
        from accord.csbm import transports  # noqa: PLC0415 -- the host's queue, not replayed

        transports.queue(ctx.index)


# -- what each format's rules add ----------------------------------------------------------------


@dataclass(frozen=True)
class Judged:
    """What a format's rules judge a notification on: the statement, its format, its public
    facts, its payload (None on a public replay), and the profile section in force."""

    ctx: Context
    fmt: Format
    facts: dict[str, Any]
    payload: Payload | None
    rules: CsbmRules
    version: int


class FormatRules:
    """A format's own checks and effects beyond every notification's; the default has none."""

    def check(self, on: Judged) -> None:
        """Raise NotAllowed when the format's rules forbid sending it now."""

    def apply(self, on: Judged, notification: Notification) -> None:
        """Complete the notification row (deadline, on time) and move its case."""


class PriorRules(FormatRules):
    """A prior notification: before its activity starts (a correction may follow later),
    above a threshold unless marked voluntary, on time if sent by the lead days before the
    start (an alert activity: by its start), and found or not in the sender's calendar."""

    def check(self, on: Judged) -> None:
        starts = _day(on.facts, "starts_on")
        if starts < on.ctx.logged_at.date() and on.facts.get("supersedes") is None:
            raise NotAllowed(
                f"the activity starts on {starts.isoformat()}, in the past; a prior notification"
                " is given before the activity",
                "start_in_past",
            )
        if on.payload is not None:
            found = self._assess(on, starts)
            if not found.notifiable and not on.facts.get("voluntary"):
                raise NotAllowed(
                    "the forces are below every threshold of prior notification; mark it"
                    " voluntary to notify it anyway",
                    "below_thresholds",
                )

    @staticmethod
    def _assess(on: Judged, starts: date) -> Assessment:
        assert on.payload is not None
        forces = Forces.model_validate(on.payload.model_dump()["forces"])
        return assess(forces, on.rules, on.version, start=starts, kind=str(on.facts.get("kind")))

    def apply(self, on: Judged, notification: Notification) -> None:
        starts = _day(on.facts, "starts_on")
        lead = timedelta(
            days=0 if on.facts.get("kind") == ALERT else on.rules.notification.lead_days.value
        )
        notify_by = starts - lead
        notification.due_by = notify_by.isoformat()
        on_time = on.ctx.logged_at.date() <= notify_by
        notification.on_time = None if on.facts.get("voluntary") else on_time
        if on.payload is None:
            return
        notification.assessment = self._assess(on, starts).as_json()
        calendar = _latest(notification.sender, "annual-calendar", starts.year)
        content = Sealed.objects.filter(entry_index=calendar.content).first() if calendar else None
        if calendar is None:
            notification.in_calendar = False
        elif content is not None and content.payload is not None:
            planned = {
                item["designation"].casefold() for item in content.payload.get("activities", [])
            }
            designation = str(on.payload.model_dump()["designation"])
            notification.in_calendar = designation.casefold() in planned


class AnnualRules(FormatRules):
    """The annual calendar (due by the profile's day of the year before) and the exchange of
    information (due by its day of the year before the data's 1 January)."""

    def __init__(self, section: Literal["calendar", "exchange"]) -> None:
        self.section = section

    def check(self, on: Judged) -> None:
        year, now = _year(on.facts), on.ctx.logged_at.year
        if not now - 1 <= year <= now + 2:
            raise NotAllowed(
                f"a {on.fmt.id} for {year} is sent from {year - 2} to {year + 1}, not in {now}",
                "wrong_year",
            )

    def apply(self, on: Judged, notification: Notification) -> None:
        day = getattr(on.rules, self.section).due.value
        notification.due_by = f"{_year(on.facts) - 1}-{day}"
        notification.on_time = on.ctx.logged_at.date().isoformat() <= notification.due_by


REPLY_PERIODS = {
    "consultation": lambda rules: rules.risk_reduction.reply,
    "inspection": lambda rules: rules.inspection.reply,
    "evaluation": lambda rules: rules.evaluation.reply,
}


class RequestRules(FormatRules):
    """A request that opens a case with a reply deadline: a request for clarification, an
    inspection or an evaluation, each with its quota where the profile sets one."""

    def __init__(self, kind: Literal["consultation", "inspection", "evaluation"]) -> None:
        self.kind = kind

    def _counterpart(self, facts: dict[str, Any]) -> str:
        name = "requested_state" if self.kind == "consultation" else "receiving_state"
        return str(facts.get(name, ""))

    def check(self, on: Judged) -> None:
        host = self._counterpart(on.facts)
        if host == on.ctx.actor:
            raise NotAllowed("a party does not send a request to itself", "wrong_recipients")
        _participating(host, "requests go to participating parties")
        if self.kind == "inspection":
            _inspection_quota(on, host)
        elif self.kind == "evaluation":
            _evaluation_quota(on, host)

    def apply(self, on: Judged, notification: Notification) -> None:
        period = REPLY_PERIODS[self.kind](on.rules)
        notification.case = on.ctx.index
        Case.objects.create(
            entry_index=on.ctx.index,
            kind=self.kind,
            initiator=on.ctx.actor,
            counterpart=self._counterpart(on.facts),
            state="reply_due",
            year=notification.year,
            unit=str(on.facts.get("unit", "")),
            profile_version=notification.profile_version,
            opened_at=notification.sent_at,
            reply_due=format_time(due(on.ctx.logged_at, period, on.rules.acknowledgement)),
            counted=self.kind != "consultation",
        )


def _inspection_quota(on: Judged, host: str) -> None:
    quota, year, actor = on.rules.inspection, on.ctx.logged_at.year, on.ctx.actor
    counted = Case.objects.filter(kind="inspection", counterpart=host, year=year, counted=True)
    if counted.count() >= quota.passive_per_year.value:
        raise NotAllowed(
            f"{host} has accepted {quota.passive_per_year.value} inspections in {year}, as"
            f" many as it must ({quota.passive_per_year.cite()})",
            "quota_exhausted",
        )
    if counted.filter(initiator=actor).count() >= quota.per_requester_per_year.value:
        raise NotAllowed(
            f"{actor} has inspected {host} in {year} already; a party accepts"
            f" {quota.per_requester_per_year.value} a year from the same requester"
            f" ({quota.per_requester_per_year.cite()})",
            "inspected_already",
        )
    size = int(on.payload.model_dump()["team_size"]) if on.payload is not None else 0
    if size > quota.team_max.value:
        raise NotAllowed(
            f"a team has at most {quota.team_max.value} inspectors ({quota.team_max.cite()})",
            "team_too_large",
        )


def _evaluation_quota(on: Judged, host: str) -> None:
    ev, year, actor = on.rules.evaluation, on.ctx.logged_at.year, on.ctx.actor
    unit = str(on.facts.get("unit", ""))
    exchange = _latest(host, "annual-exchange", year)
    units = int(exchange.facts.get("unit_count", 0)) if exchange else 0
    quota = evaluation_quota(units, ev)
    share = evaluation_per_requester(quota, ev)
    counted = Case.objects.filter(kind="evaluation", counterpart=host, year=year, counted=True)
    if counted.count() >= quota:
        raise NotAllowed(
            f"{host} reported {units} units for {year}: a quota of {quota} evaluation visits,"
            f" all used ({ev.units_per_visit.cite()}; {ev.most_per_year.cite()})",
            "quota_exhausted",
        )
    if counted.filter(initiator=actor).count() >= share:
        raise NotAllowed(
            f"{actor} has made {share} evaluation visits to {host} in {year}, as many as one"
            f" requester may ({ev.per_requester_divisor.cite()})",
            "inspected_already",
        )
    visits = counted.filter(unit=unit)
    if visits.count() >= ev.per_unit_per_year.value:
        raise NotAllowed(
            f"{unit} was visited {ev.per_unit_per_year.value} times in {year}"
            f" ({ev.per_unit_per_year.cite()})",
            "unit_visited",
        )
    if visits.filter(initiator=actor).count() >= ev.per_unit_per_requester.value:
        raise NotAllowed(
            f"{actor} visited {unit} in {year} already ({ev.per_unit_per_requester.cite()})",
            "unit_visited",
        )
    content = Sealed.objects.filter(entry_index=exchange.content).first() if exchange else None
    if content is not None and content.payload is not None and on.payload is not None:
        listed = {item["designation"] for item in content.payload["units"]}
        if unit not in listed:
            raise NotAllowed(
                f"{host} reported no unit {unit} in its exchange of information for {year}",
                "unknown_unit",
            )


class ReplyRules(FormatRules):
    """The requested party's reply: once, before the case is closed, judged on time against
    the reply deadline its case kept. A visit declined for force majeure is not counted."""

    def check(self, on: Judged) -> None:
        case, _request = _answered(on.fmt, on.facts)
        _only(on.ctx.actor, case.counterpart, "the party asked")
        if case.reply_entry is not None:
            raise NotAllowed(
                f"{case.counterpart} replied to entry {case.entry_index} in entry"
                f" {case.reply_entry}",
                "replied_already",
            )

    def apply(self, on: Judged, notification: Notification) -> None:
        case = Case.objects.get(entry_index=int(on.facts["in_reply_to"]))
        notification.case = case.entry_index
        notification.due_by = case.reply_due
        notification.on_time = not _is_late(on.ctx.logged_at, case.reply_due)
        case.reply_entry, case.reply_on_time = on.ctx.index, notification.on_time
        if case.kind == "consultation":
            # A reply that comes after a meeting was asked for does not undo the request.
            if case.state in ("reply_due", "reply_overdue"):
                case.state = "replied"
        else:
            case.state = "accepted" if on.facts.get("accepted") else "declined"
            case.counted = not on.facts.get("force_majeure")
        case.save()


class MeetingRules(FormatRules):
    """The requesting party's call for a meeting: with the responding party once the reply
    came or is overdue, or of all the parties at any stage after the reply fell due (the
    2022 practice of going straight there when no reply came)."""

    def __init__(self, which: Literal["bilateral", "all"]) -> None:
        self.which = which

    def check(self, on: Judged) -> None:
        case, _request = _answered(on.fmt, on.facts)
        _only(on.ctx.actor, case.initiator, "the party that asked for clarification")
        if case.reply_entry is None and not _is_late(on.ctx.logged_at, case.reply_due):
            raise NotAllowed(
                f"{case.counterpart}'s reply is due until {case.reply_due}; a meeting is"
                " requested after the reply or once it is overdue",
                "reply_not_due",
            )
        asked: tuple[str, ...] = ("all_meeting_requested",)
        if self.which == "bilateral":
            asked = ("bilateral_meeting_requested", "all_meeting_requested")
        if case.state in asked:
            raise NotAllowed("this meeting was requested already", "meeting_requested")

    def apply(self, on: Judged, notification: Notification) -> None:
        case = Case.objects.get(entry_index=int(on.facts["in_reply_to"]))
        notification.case = case.entry_index
        meetings = on.rules.risk_reduction
        period = meetings.bilateral_meeting if self.which == "bilateral" else meetings.all_meeting
        case.meeting_due = format_time(due(on.ctx.logged_at, period, on.rules.acknowledgement))
        case.state = f"{self.which}_meeting_requested"
        case.save()


class ReportRules(FormatRules):
    """The requesting party's report of an accepted inspection, to every party."""

    def check(self, on: Judged) -> None:
        case, _request = _answered(on.fmt, on.facts)
        _only(on.ctx.actor, case.initiator, "the inspecting party")
        if case.state != "accepted":
            raise NotAllowed(
                f"the inspection of entry {case.entry_index} is {case.state.replace('_', ' ')};"
                " only an accepted one is reported",
                "not_accepted",
            )

    def apply(self, on: Judged, notification: Notification) -> None:
        case = Case.objects.get(entry_index=int(on.facts["in_reply_to"]))
        notification.case = case.entry_index
        case.state = "reported"
        case.save()


RULES: dict[str, FormatRules] = {
    "prior-notification": PriorRules(),
    "annual-calendar": AnnualRules("calendar"),
    "annual-exchange": AnnualRules("exchange"),
    "clarification-request": RequestRules("consultation"),
    "clarification-reply": ReplyRules(),
    "bilateral-meeting-request": MeetingRules("bilateral"),
    "all-parties-meeting-request": MeetingRules("all"),
    "hazardous-incident": FormatRules(),
    "inspection-request": RequestRules("inspection"),
    "inspection-reply": ReplyRules(),
    "inspection-report": ReportRules(),
    "evaluation-request": RequestRules("evaluation"),
    "evaluation-reply": ReplyRules(),
    "general-communication": FormatRules(),
}


# -- acknowledgements, missed deadlines, closing -------------------------------------------------


@statement_kind("csbm.notification.acknowledged", 1)
class NotificationAcknowledged(Body):
    """A recipient acknowledges a notification, once; its own notification a party does not
    acknowledge. An acknowledgement after its deadline is taken and marked late."""

    notification: int = Field(ge=0)

    @classmethod
    def check(cls, ctx: Context) -> None:
        # One query when all is well, in plain SQL as the forum's admission reads its
        # standing: acknowledgements are most of the traffic, and the ORM's building of a
        # query cost more than the query. The notification is read only to say why one is
        # refused.
        body = ctx.body_as(NotificationAcknowledged)
        with connection.cursor() as cursor:
            cursor.execute(GIVEN_SQL, [body.notification, ctx.actor])
            given = [row[0] for row in cursor.fetchall()]
        if not given:
            found = _notification(body.notification)
            if found.sender == ctx.actor:
                raise NotAllowed(
                    "a party does not acknowledge its own notification", "own_notification"
                )
            raise NotAllowed(
                f"entry {body.notification} was not sent to {ctx.actor}", "not_recipient"
            )
        if given[0] is not None:
            raise NotAllowed(
                f"{ctx.actor} acknowledged entry {body.notification} in entry {given[0]}",
                "acknowledged_already",
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(NotificationAcknowledged)
        moment = format_time(ctx.logged_at)
        with connection.cursor() as cursor:
            cursor.execute(
                ACKNOWLEDGE_SQL, [moment, ctx.index, moment, body.notification, ctx.actor]
            )


def missed_deadline(
    notification: Notification, party: str, what: str
) -> tuple[str, str, int] | None:
    """The deadline ``party`` missed on ``notification`` (``acknowledgement`` or ``reply``),
    recomputed from the log under the profile version the notification kept, with the rule
    that set it; None when no such deadline runs."""
    rules = rules_at(notification.profile_version)
    sent = parse_time(notification.sent_at)
    if what == "acknowledgement":
        if not Delivery.objects.filter(
            notification=notification.entry_index, recipient=party
        ).exists():
            return None
        period = rules.acknowledgement.within
        when = format_time(due(sent, period, rules.acknowledgement))
        return when, f"{period.words()} ({period.cite()})", notification.profile_version
    case = Case.objects.filter(entry_index=notification.entry_index).first()
    if case is None or case.counterpart != party:
        return None
    if case.closed_entry is not None:
        closed = Entry.objects.filter(index=case.closed_entry).values_list("logged_at", flat=True)
        if closed and closed[0] <= case.reply_due:
            return None  # withdrawn before the reply fell due: nothing was owed
    period = REPLY_PERIODS[case.kind](rules)
    when = format_time(due(sent, period, rules.acknowledgement))
    return when, f"{period.words()} ({period.cite()})", case.profile_version


@statement_kind("csbm.deadline.missed", 1)
class DeadlineMissed(Body):
    """The secretariat's scheduler records that a party missed a deadline: the acknowledgement
    of a notification sent to it, or the reply to a request made of it. The deadline is
    recomputed from the log under the profile version the notification kept, so a conclusion
    before the deadline, of a deadline met, or made twice is refused, here and on replay."""

    notification: int = Field(ge=0)
    party: str = Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")
    what: Literal["acknowledgement", "reply"]

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(DeadlineMissed)
        if ctx.actor != ctx.log.secretariat:
            raise NotAllowed("only the secretariat records a missed deadline", "not_secretariat")
        found = _notification(body.notification)
        deadline = missed_deadline(found, body.party, body.what)
        if deadline is None:
            raise NotAllowed(
                f"{body.party} owes no {body.what} of entry {body.notification}", "no_deadline"
            )
        if ctx.logged_at <= parse_time(deadline[0]):
            raise NotAllowed(f"the {body.what} is due until {deadline[0]}", "not_yet")
        if body.what == "acknowledgement":
            met = Delivery.objects.filter(
                notification=body.notification, recipient=body.party, ack_entry__isnull=False
            ).exists()
        else:
            met = Case.objects.filter(
                entry_index=body.notification, reply_entry__isnull=False
            ).exists()
        if met:
            raise NotAllowed(f"{body.party} gave its {body.what}", "met")
        if Missed.objects.filter(
            notification=body.notification, party=body.party, what=body.what
        ).exists():
            raise NotAllowed("this missed deadline was recorded already", "recorded_already")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(DeadlineMissed)
        found = _notification(body.notification)
        deadline = missed_deadline(found, body.party, body.what)
        assert deadline is not None
        Missed.objects.create(
            entry_index=ctx.index,
            notification=body.notification,
            party=body.party,
            what=body.what,
            due_at=deadline[0],
            rule=deadline[1],
            profile_version=deadline[2],
            year=found.year,
        )
        if body.what == "acknowledgement":
            Delivery.objects.filter(notification=body.notification, recipient=body.party).update(
                overdue_entry=ctx.index
            )
        else:
            Case.objects.filter(entry_index=body.notification, state="reply_due").update(
                state="reply_overdue"
            )


@statement_kind("csbm.case.closed", 1)
class CaseClosed(Body):
    """The party that opened a consultation, inspection or evaluation closes it, with its
    outcome; nothing more is sent in a closed case."""

    case: int = Field(ge=0)
    outcome: Literal["satisfied", "meeting_held", "completed", "withdrawn"]
    note: str = Field(default="", max_length=20_000)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(CaseClosed)
        case = _case(body.case)
        _only(ctx.actor, case.initiator, "which opened it")
        if case.state == "closed":
            raise NotAllowed(f"the {case.kind} of entry {body.case} is closed", "case_closed")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(CaseClosed)
        Case.objects.filter(entry_index=body.case).update(state="closed", closed_entry=ctx.index)


# -- the national system's webhook ---------------------------------------------------------------


def webhook_fault(url: str) -> str | None:
    """Why ``url`` may not receive deliveries (None when it may): https only, a host name or
    a public address, no credentials in it. Private and loopback addresses that a name
    resolves to are refused again when sending (``accord.csbm.transports``)."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        return "a webhook address is https"
    if not parts.hostname or parts.username or parts.password:
        return "a webhook address names a host, without credentials"
    host = parts.hostname
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return f"{host} is not a public host"
    try:
        address = ip_address(host)
    except ValueError:
        return None
    if not address.is_global:
        return f"{host} is a private, loopback or reserved address"
    return None


@statement_kind("csbm.webhook.registered", 1, distributions=("restricted",))
class WebhookRegistered(Body):
    """A party registers, by its own signed statement, the https address where its national
    system receives its deliveries (signed by the host), or an empty address to stop them.
    Restricted: only the party and the secretariat read the address."""

    url: str = Field(max_length=2000)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body
        if isinstance(body, WebhookRegistered) and body.url:
            fault = webhook_fault(body.url)
            if fault is not None:
                raise NotAllowed(fault, "bad_webhook")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body
        assert body is None or isinstance(body, WebhookRegistered)
        Webhook.objects.filter(party=ctx.actor).delete()
        Webhook.objects.create(
            entry_index=ctx.index,
            party=ctx.actor,
            url=body.url if body else "",
            registered_at=format_time(ctx.logged_at),
        )


@read_rule("csbm.webhook.registered")
def _nobody_else_reads_a_webhook(_statement: Statement, _party: str) -> bool:
    """The party that registered it and the secretariat; no other party."""
    return False
