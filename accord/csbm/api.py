"""The CSBM JSON API for national systems: send, acknowledge and close with a personal token,
read the inbox and outbox, a notification with its acknowledgement grid, the formats and
their JSON Schemas, the threshold check and the compliance picture.

Reads of public facts are public, as the log is. A notification's content (its payload and
the thresholds' assessment of it) is answered only to a reader ``statements.may_read``
entitles: the token's accreditation in force names the reader's party (``token_party``, as the
conference's API reads); no token, a bad token, or the token of a party the notification
was not sent to reads the public facts alone. Each act route (at its declaration's ``api``
path in ``accord.csbm.acts``) takes every field of its kind's body, in the path or the JSON
body, and answers 201 with the receipts or the ``Refusal`` with the status its ``Rejected``
subclass carries; nothing is written on a refusal.
"""

from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field, ValidationError

from accord.csbm import actions, acts
from accord.csbm.formats import FORMATS
from accord.csbm.models import Delivery, Notification, Sealed
from accord.csbm.rules import csbm_rules
from accord.csbm.statements import may_read, payload_of
from accord.csbm.thresholds import ALERT, Forces, assess
from accord.forum import queries as forum_queries
from accord.forum.acted import ACTED, acted, performed
from accord.forum.readership import token_party
from accord.ledger.api import Refusal, refusal_of
from accord.ledger.envelope import parse_time
from accord.ledger.errors import Rejected
from accord.lib import clock
from accord.people.api import TOKEN

if TYPE_CHECKING:
    from accord.people.models import Person

router = Router(tags=["csbm"])


class CsbmProblem(Schema):
    detail: str


READ = {404: CsbmProblem}


def _refusal(code: str, reason: str, status: int = 422) -> Status[dict[str, Any]]:
    """A refusal the API itself makes before anything is signed (no signed note)."""
    return Status(status, {"code": code, "reason": reason, "refusal": None})


def _payload_fault(
    fmt_name: str, given: int | None, payload: dict[str, Any] | None
) -> Status[dict[str, Any]] | None:
    """A 422 for a format there is not, another schema version, or a payload its schema
    refuses (naming the first fault), before anything is signed; None when it fits. A body
    is unprocessable, not malformed JSON, so the API answers 422 as for its own schemas."""
    fmt = FORMATS.get(fmt_name)
    if fmt is None:
        return _refusal(
            "unknown_format",
            f"{fmt_name!r} is not a notification format ({', '.join(sorted(FORMATS))})",
        )
    if given is not None and given != fmt.v:
        return _refusal(
            "unknown_format",
            f"{fmt_name} has schema version {fmt.v}, not {given}; fetch /csbm/schemas/{fmt_name}",
        )
    if payload is not None:
        try:
            payload_of(fmt, payload)
        except Rejected as refusal:
            return _refusal(refusal.code, refusal.reason)
    return None


# -- what the reads answer ---------------------------------------------------------------------


class DeliveryOut(Schema):
    recipient: str
    ack_due: str
    acknowledged_at: str = Field(description="Blank until acknowledged.")
    ack_entry: int | None
    ack_on_time: bool | None
    overdue_entry: int | None = Field(description="The scheduler's conclusion, once recorded.")
    state: Literal["acknowledged", "late", "due", "overdue"] = Field(
        description="acknowledged (on time), late (acknowledged after the deadline), due or"
        " overdue (not acknowledged, the deadline passed)."
    )


class NotificationOut(Schema):
    entry_index: int = Field(description="The notification's id: its public entry.")
    format: str
    title: str
    v: int
    sender: str
    recipients: list[str]
    distribution: str
    content: int = Field(description="The sealed content's entry.")
    facts: dict[str, Any] = Field(description="The public facts its rules are judged on.")
    sent_at: str
    ack_due: str
    due_by: str = Field(description="When it had to be sent by; blank when no rule sets one.")
    on_time: bool | None
    profile_version: int = Field(description="The profile version its deadlines kept.")
    supersedes: int | None
    superseded_by: int | None
    case: int | None


class NotificationDetail(NotificationOut):
    grid: list[DeliveryOut] = Field(description="Each recipient's delivery and acknowledgement.")
    readable: bool = Field(description="Whether this reader may read the content.")
    payload: dict[str, Any] | None = Field(
        description="The content; null unless the reader is its sender, a recipient or the"
        " secretariat (or the notification is public)."
    )
    assessment: dict[str, Any] | None = Field(
        description="What the thresholds said of a prior notification; with the content only."
    )


class BoxRow(NotificationOut):
    state: str = Field(
        description="Inbox: the reader's acknowledgement (acknowledged, late, due, overdue)."
        " Outbox: acknowledged when every recipient did, overdue when one is overdue, else due."
    )
    acknowledged: int = Field(description="Recipients that acknowledged.")
    overdue: int = Field(description="Recipients whose acknowledgement is overdue.")


class TypeOut(Schema):
    id: str
    v: int
    title: str
    chapter: str
    scope: str = Field(description="all, addressee (bilateral) or answers (to the requester).")
    schema_url: str


class AssessmentOut(Schema):
    profile_version: int
    notifiable: bool
    observable: bool
    constrained: bool
    notify_by: date | None
    air_component: bool
    reasons: list[str]


NOTIFICATION_FIELDS = tuple(NotificationOut.model_fields)


def delivery_state(delivery: Delivery, now_text: str | None = None) -> str:
    """acknowledged, late, due or overdue, judged at ``now_text`` (default: now)."""
    if delivery.ack_entry is not None:
        return "acknowledged" if delivery.ack_on_time else "late"
    if delivery.overdue_entry is not None:
        return "overdue"
    moment = parse_time(now_text) if now_text else clock.now()
    return "overdue" if moment > parse_time(delivery.ack_due) else "due"


def _delivery(delivery: Delivery) -> dict[str, Any]:
    return {
        "recipient": delivery.recipient,
        "ack_due": delivery.ack_due,
        "acknowledged_at": delivery.acknowledged_at,
        "ack_entry": delivery.ack_entry,
        "ack_on_time": delivery.ack_on_time,
        "overdue_entry": delivery.overdue_entry,
        "state": delivery_state(delivery),
    }


def notification_summary(found: Notification) -> dict[str, Any]:
    """A notification's public side, as ``NotificationOut``."""
    fmt = FORMATS.get(found.format)
    return {
        **{name: getattr(found, name) for name in NOTIFICATION_FIELDS if name != "title"},
        "title": str(fmt.title) if fmt else found.format,
        "recipients": list(found.recipients),
        "facts": dict(found.facts),
    }


def notification_detail(entry: int, party: str | None) -> dict[str, Any] | None:
    """A notification with its grid, and its content only for a reader ``may_read``
    entitles; None when ``entry`` is no notification. Three queries."""
    found = Notification.objects.filter(entry_index=entry).first()
    if found is None:
        return None
    readable = may_read(found, party, forum_queries.secretariat())
    sealed = Sealed.objects.filter(entry_index=found.content).first() if readable else None
    return notification_summary(found) | {
        "grid": [_delivery(d) for d in Delivery.objects.filter(notification=entry)],
        "readable": readable,
        "payload": dict(sealed.payload) if sealed is not None and sealed.payload else None,
        "assessment": found.assessment if readable else None,
    }


def box_of(party: str, which: str = "inbox", *, overdue: bool = False) -> list[dict[str, Any]]:
    """The party's received (``inbox``) or sent (``outbox``) notifications, newest first, with
    their deadline state; only the overdue ones with ``overdue``. Two queries."""
    if which == "inbox":
        mine = {d.notification: d for d in Delivery.objects.filter(recipient=party)}
        rows = Notification.objects.filter(entry_index__in=list(mine))
        grids: dict[int, list[Delivery]] = {entry: [d] for entry, d in mine.items()}
    else:
        rows = Notification.objects.filter(sender=party)
        grids = {}
        for delivery in Delivery.objects.filter(notification__in=rows.values("entry_index")):
            grids.setdefault(delivery.notification, []).append(delivery)
    found = []
    for row in rows.order_by("-entry_index"):
        states = [delivery_state(d) for d in grids.get(row.entry_index, [])]
        if which == "inbox":
            state = states[0]
        elif "overdue" in states:
            state = "overdue"
        else:
            state = "acknowledged" if all(s in ("acknowledged", "late") for s in states) else "due"
        if overdue and state != "overdue":
            continue
        found.append(
            notification_summary(row)
            | {
                "state": state,
                "acknowledged": sum(s in ("acknowledged", "late") for s in states),
                "overdue": states.count("overdue"),
            }
        )
    return found


def types() -> list[dict[str, Any]]:
    """Every format, by identifier."""
    return [
        {
            "id": fmt.id,
            "v": fmt.v,
            "title": str(fmt.title),
            "chapter": fmt.chapter,
            "scope": fmt.scope,
            "schema_url": f"/api/v1/csbm/schemas/{fmt.id}",
        }
        for fmt in sorted(FORMATS.values(), key=lambda fmt: fmt.id)
    ]


FORCE_NAMES = {
    "troops": "troops",
    "tanks": "battle_tanks",
    "acv": "acv",
    "artillery": "artillery",
    "sorties": "air_sorties",
    "airborne": "airborne_troops",
    "amphibious": "amphibious_troops",
}
"""The threshold check's short names (``--tanks``, ``?tanks=``) for the forces' fields."""


def forces_of(given: dict[str, int]) -> Forces:
    """Declared forces by their short names; ``ValueError`` naming each bad figure."""
    try:
        return Forces.model_validate({FORCE_NAMES[name]: n for name, n in given.items()})
    except ValidationError as error:
        faults = [
            f"{next(k for k, v in FORCE_NAMES.items() if v == e['loc'][0])}: {e['msg']}"
            for e in error.errors()
        ]
        raise ValueError("; ".join(faults)) from None


def threshold(forces: Forces, start: date | None = None, *, alert: bool = False) -> dict[str, Any]:
    """What the profile in force requires of an activity with ``forces`` (the shipped default
    where no forum was founded), and why; one query."""
    version, rules = csbm_rules()
    found = assess(forces, rules, version, start=start, kind=ALERT if alert else "")
    return found.as_json()


# -- reads -------------------------------------------------------------------------------------


@router.get("/csbm/types", response=list[TypeOut])
def list_types(request: HttpRequest) -> list[dict[str, Any]]:
    """Every notification format: its identifier, schema version, title and who receives it."""
    return types()


@router.get("/csbm/schemas/{format}", response={200: dict[str, Any], **READ})
def schema(request: HttpRequest, format: str) -> Status[Any]:  # noqa: A002 -- the path's name
    """A format's JSON Schema (draft 2020-12), which a national system validates against."""
    fmt = FORMATS.get(format)
    if fmt is None:
        return Status(404, {"detail": f"{format!r} is not a notification format"})
    return Status(200, fmt.schema())


class BoxQuery(Schema):
    box: Literal["inbox", "outbox"] = Field(default="inbox", description="Received or sent.")
    overdue: bool = Field(default=False, description="Only those overdue.")


@router.get("/csbm/notifications", response={200: list[BoxRow], 403: CsbmProblem})
def notifications(request: HttpRequest, query: Query[BoxQuery]) -> Status[Any]:
    """The token's party's inbox (``box=inbox``, the default) or outbox, newest first, with
    the deadline state; ``overdue=true`` keeps the overdue ones only. Public facts only."""
    party = token_party(request)
    if party is None:
        return Status(403, {"detail": "An inbox is read with the personal token of a delegate."})
    return Status(200, box_of(party, query.box, overdue=query.overdue))


@router.get("/csbm/notifications/{notification}", response={200: NotificationDetail, **READ})
def notification(request: HttpRequest, notification: int) -> Status[Any]:
    """A notification, its facts and acknowledgement grid; its content only for its sender,
    its recipients and the secretariat (by the token's accreditation in force)."""
    found = notification_detail(notification, token_party(request))
    if found is None:
        return Status(404, {"detail": f"entry {notification} is not a notification"})
    return Status(200, found)


class ThresholdQuery(Schema):
    troops: int = 0
    tanks: int = Field(default=0, description="Battle tanks.")
    acv: int = Field(default=0, description="Armoured combat vehicles.")
    artillery: int = 0
    sorties: int = Field(default=0, description="Aircraft sorties.")
    airborne: int = Field(default=0, description="Airborne troops.")
    amphibious: int = Field(default=0, description="Amphibious troops.")
    start: date | None = Field(default=None, description="The start, for the date to notify by.")
    alert: bool = Field(default=False, description="An alert activity (notified as it begins).")


@router.get("/csbm/threshold", response={200: AssessmentOut, 422: Refusal})
def threshold_check(request: HttpRequest, query: Query[ThresholdQuery]) -> Status[Any]:
    """Whether an activity with these forces must be notified, observed, or is constrained,
    and by when (with ``start``), under the profile in force, with the reasons."""
    try:
        forces = forces_of(query.model_dump(exclude={"start", "alert"}))
    except ValueError as error:
        return _refusal("bad_forces", f"The forces are not possible figures: {error}.")
    return Status(200, threshold(forces, query.start, alert=query.alert))


@router.get("/csbm/compliance/{year}", response={200: dict[str, Any], 422: Refusal})
def compliance(request: HttpRequest, year: int) -> Status[Any]:
    """A year's compliance picture as JSON, from the public projections only."""
    from accord.csbm import compliance as picture  # noqa: PLC0415 -- drawn when asked

    if not 2000 <= year <= 2200:
        return _refusal("bad_year", f"{year} is not a year the formats know (2000–2200).")
    return Status(200, picture.as_json(picture.report(year)))


# -- acts --------------------------------------------------------------------------------------


class ContentIn(Schema):
    format: str = Field(description="The format's identifier, as /csbm/types lists it.")
    schema_version: int | None = Field(default=None, description="Default: the format's own.")
    payload: dict[str, Any] = Field(description="The body, as /csbm/schemas/{format} says.")
    distribution: Literal["restricted", "public"] = "restricted"


class NotificationIn(Schema):
    format: str = Field(description="The format's identifier, as /csbm/types lists it.")
    schema_version: int | None = Field(default=None, description="Default: the format's own.")
    payload: dict[str, Any] | None = Field(
        default=None, description="The body, sealed and sent in one transaction."
    )
    distribution: Literal["restricted", "public"] = "restricted"
    content: int | None = Field(
        default=None, description="Instead of payload: send this content, sealed before."
    )
    to: list[str] | None = Field(
        default=None, description="If given, must be the recipients Accord computes."
    )
    facts: dict[str, Any] | None = Field(
        default=None, description="If given, must be the public facts Accord computes."
    )


class CloseIn(Schema):
    outcome: Literal["satisfied", "meeting_held", "completed", "withdrawn"]
    note: str = ""


class MissedIn(Schema):
    party: str = Field(description="The party that missed the deadline.")
    what: Literal["acknowledgement", "reply"]


class WebhookIn(Schema):
    url: str = Field(description="A public https address; empty to stop the deliveries.")


def _differences(
    given_to: list[str] | None,
    given_facts: dict[str, Any] | None,
    to: list[str],
    facts: dict[str, Any],
) -> Status[dict[str, Any]] | None:
    """A 422 naming what differs between the recipients and facts given and Accord's."""
    if given_to is not None and given_to != to:
        return _refusal(
            "wrong_recipients",
            f"The recipients given ({', '.join(given_to) or 'none'}) are not those the format"
            f" names ({', '.join(to) or 'none'}).",
        )
    if given_facts is not None and given_facts != facts:
        names = sorted(
            name
            for name in set(given_facts) | set(facts)
            if given_facts.get(name) != facts.get(name) or (name in given_facts) != (name in facts)
        )
        return _refusal(
            "facts_mismatch",
            f"The public facts given differ from the content's in {', '.join(names)}"
            f" (expected {facts}).",
        )
    return None


@router.post("/csbm/contents", auth=TOKEN, response=ACTED)
def seal(request: HttpRequest, data: ContentIn) -> Status[dict[str, Any]]:
    """Seal a notification's content (restricted unless ``public``), to send it later."""
    wrong = _payload_fault(data.format, data.schema_version, data.payload)
    if wrong is not None:
        return wrong
    fields = {"format": data.format, "payload": data.payload, "distribution": data.distribution}
    return acted(acts.SEAL, request, fields)


def _envelope_or_refusal(
    data: NotificationIn, party: str, payload: dict[str, Any]
) -> tuple[list[str], dict[str, Any]] | Status[dict[str, Any]]:
    """The recipients and facts Accord computes for ``payload``, or the 422 that says how
    those given differ (or why the payload is refused)."""
    try:
        _v, to, facts = actions.envelope(data.format, party, payload)
    except Rejected as refusal:
        return refusal_of(refusal)
    return _differences(data.to, data.facts, to, facts) or (to, facts)


@router.post("/csbm/notifications", auth=TOKEN, response=ACTED)
def notify(request: HttpRequest, data: NotificationIn) -> Status[dict[str, Any]]:
    """Send a notification: its payload sealed and sent in one transaction (the receipts of
    both; the second's index names the notification), or with ``content`` a content
    sealed before. ``to`` and ``facts``, when given, must be what Accord computes."""
    person: Person = request.auth  # type: ignore[attr-defined]
    wrong = _payload_fault(data.format, data.schema_version, data.payload)
    if wrong is None and data.content is None and data.payload is None:
        wrong = _refusal("bad_payload", "Give the payload, or the content sealed before.")
    if wrong is not None:
        return wrong
    content = data.content
    if content is None:
        assert data.payload is not None
        computed = _envelope_or_refusal(data, person.party, data.payload)
        if isinstance(computed, Status):
            return computed
        fields = {"format": data.format, "payload": data.payload, "distribution": data.distribution}
        return acted(acts.NOTIFY, request, fields)
    sealed = Sealed.objects.filter(entry_index=content, party=person.party).first()
    to, facts = list(data.to or []), dict(data.facts or {})
    if sealed is not None and sealed.payload is not None and sealed.format == data.format:
        computed = _envelope_or_refusal(data, person.party, sealed.payload)
        if isinstance(computed, Status):
            return computed
        to, facts = computed
    return performed(
        request,
        lambda actor: [
            actions.send(actor, format=data.format, content=content, to=to, facts=facts)
        ],
    )


@router.post("/csbm/notifications/{notification}/acknowledgement", auth=TOKEN, response=ACTED)
def acknowledge(request: HttpRequest, notification: int) -> Status[dict[str, Any]]:
    """A recipient acknowledges a notification, once."""
    return acted(acts.ACKNOWLEDGE, request, {"notification": notification})


@router.post("/csbm/cases/{case}/closing", auth=TOKEN, response=ACTED)
def close(request: HttpRequest, case: int, data: CloseIn) -> Status[dict[str, Any]]:
    """The party that opened a consultation, inspection or evaluation closes it."""
    return acted(acts.CLOSE, request, {"case": case, **data.model_dump()})


@router.post("/csbm/notifications/{notification}/missed", auth=TOKEN, response=ACTED)
def missed(request: HttpRequest, notification: int, data: MissedIn) -> Status[dict[str, Any]]:
    """The secretariat records a deadline a party missed (checked against the log)."""
    return acted(acts.MISSED, request, {"notification": notification, **data.model_dump()})


@router.post("/csbm/webhook", auth=TOKEN, response=ACTED)
def webhook(request: HttpRequest, data: WebhookIn) -> Status[dict[str, Any]]:
    """Register where the party's national system receives its deliveries (restricted)."""
    return acted(acts.WEBHOOK, request, {"url": data.url})
