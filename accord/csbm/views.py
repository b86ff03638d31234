"""The CSBM pages: the inbox and outbox with deadline badges, a notification with its
delivery and acknowledgement grid, the forms that send every message type (with the live
threshold check of a prior notification), consultations, inspections and their quotas, and
the yearly compliance report; and a page for every declared act (``accord.csbm.acts``).

Every act goes through its declaration, so the rules profile and the log decide on the web
exactly as on the API and the CLI; a form appears only when ``offered`` says the profile
grants the act to the reader. A POST first asks who acts (403 for a stranger, before
anything is looked up or written). A notification's content is shown only to a reader
``statements.may_read`` allows; everyone else reads its public facts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from pydantic import ValidationError

from accord.csbm import acts, queries
from accord.csbm import forms as csbm_forms
from accord.csbm.formats import FORMATS, Format
from accord.csbm.models import Case, Notification
from accord.csbm.rules import Constraint, CsbmRules, Number, Period, csbm_rules, rules_at
from accord.csbm.statements import REPLY_PERIODS, may_read
from accord.csbm.templatetags.csbm_words import format_title, label, period, word
from accord.csbm.thresholds import LAND, Forces, assess
from accord.forum import queries as forum_queries
from accord.forum.readership import session_party
from accord.forum.views import FORM, ActForm, acting_person, offered, page_or_partial, shown
from accord.front.refusals import sentence
from accord.front.templatetags.reading import readable_party
from accord.ledger.acts import Act
from accord.ledger.errors import Rejected
from accord.ledger.names import PartyNames, party_names
from accord.lib import clock

# -- acting ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    act: ActForm
    form: forms.Form


def _private(response: HttpResponse) -> HttpResponse:
    """A page that depends on who reads; no shared cache may keep it."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def _box(act: Act, *args: object) -> str:
    suffix = "-".join(str(value) for value in args)
    return f"{act.page}-form-{suffix}" if suffix else f"{act.page}-form"


def _offer(request: HttpRequest, act: Act, form: forms.Form, *args: object) -> Offer | None:
    """The act's form when the profile grants it to the reader now; one query."""
    found = offered(request, act, _box(act, *args), *args)
    return None if found is None else Offer(found, form)


def _told(act: Act, actor: str, fields: dict[str, Any], names: PartyNames) -> str:
    """The done act as a sentence, with titles, words and names instead of codes."""
    values: dict[str, Any] = {
        key: value for key, value in fields.items() if not isinstance(value, dict | list)
    }
    if "format" in values:
        values["format"] = format_title(values["format"])
    for key in ("outcome", "what"):
        if key in values:
            values[key] = word(values[key])
    if "party" in values:
        values["party"] = readable_party(str(values["party"]), names)
    values.setdefault("url", "")
    return str(act.done) % {**values, "actor": readable_party(actor, names)}


def _perform(
    request: HttpRequest,
    form: forms.Form,
    act: Act,
    shown_as: ActForm,
    named: dict[str, Any],
) -> HttpResponse:
    """Run a declared act from a posted form: the receipt and the done act's sentence, or
    the form with its error (400) or the refusal in the reader's language (422)."""
    actor = acting_person(request)
    context: dict[str, Any] = {"form": form, "act": shown_as}
    if not form.is_valid():
        return page_or_partial(request, FORM, "forum/act.html", context, status=400)
    fields = dict(form.cleaned_data) | named
    try:
        accepted = act.action(actor, fields)
    except Rejected as refusal:
        context |= {"refusal": sentence(refusal, act)}
        return page_or_partial(request, FORM, "forum/act.html", context, status=422)
    names = party_names()
    sent = accepted[-1].index if act is acts.NOTIFY else None
    receipt = {"accepted": accepted, "done": _told(act, actor.party, fields, names), "sent": sent}
    return page_or_partial(request, "csbm/partials/_receipt.html", "csbm/receipt.html", receipt)


@dataclass(frozen=True)
class Page:
    """An act's page that only takes its POST: its form and the URL parameters it names."""

    act: Act
    form: type[forms.Form]
    route: str
    parameters: tuple[str, ...] = ()


PAGES = (
    Page(acts.SEAL, csbm_forms.SealForm, "csbm/seal/"),
    Page(
        acts.ACKNOWLEDGE,
        csbm_forms.AcknowledgeForm,
        "csbm/notifications/<int:notification>/acknowledge/",
        ("notification",),
    ),
    Page(acts.CLOSE, csbm_forms.CloseForm, "csbm/cases/<int:case>/close/", ("case",)),
    Page(
        acts.MISSED,
        csbm_forms.MissedForm,
        "csbm/notifications/<int:notification>/missed/",
        ("notification",),
    ),
)


def _act_view(page: Page) -> Callable[..., HttpResponse]:
    @require_POST
    def view(request: HttpRequest, **named: int) -> HttpResponse:
        acting_person(request)
        form = page.form(request.POST)
        shown_as = shown(page.act, _box(page.act, *named.values()), *named.values())
        return _perform(request, form, page.act, shown_as, dict(named))

    view.__name__ = page.act.page.replace("-", "_")
    view.__doc__ = f"{page.act.title}: the act's POST, for a signed-in person."
    return view


# -- the inbox and outbox -------------------------------------------------------------------------


@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """The notifications sent to the reader's party, newest first, each with its deadline
    badge (``?overdue=1``: only those overdue); for a reader without a party, and on
    ``?all=1``, the public list: who sent which type to whom, when, and the deadlines."""
    party = session_party(request)
    now = clock.now()
    overdue = request.GET.get("overdue") == "1"
    everyone = party is None or request.GET.get("all") == "1"
    context = {
        "party": party,
        "now": now,
        "overdue": overdue,
        "received": queries.inbox(party, overdue=overdue, now=now) if party else [],
        "public": queries.public() if everyone else [],
        "everyone": everyone,
    }
    return _private(render(request, "csbm/inbox.html", context))


@require_safe
def outbox(request: HttpRequest) -> HttpResponse:
    """The reader's party's own notifications, with how many recipients acknowledged each."""
    party = session_party(request)
    context = {"party": party, "sent": queries.outbox(party) if party else [], "now": clock.now()}
    return _private(render(request, "csbm/outbox.html", context))


# -- one notification -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A deadline and the rule that set it."""

    what: str
    due: str
    rule: str
    ref: str
    version: int


def _ack_deadline(found: Notification) -> Deadline:
    rules = rules_at(found.profile_version)
    within = rules.acknowledgement.within
    return Deadline(
        str(word("acknowledgement")),
        found.ack_due,
        period(within),
        within.cite(),
        found.profile_version,
    )


@dataclass(frozen=True)
class MissedLine:
    """A recorded missed deadline as the page says it: the stored conclusion's rule is the
    log's English, so the rule is worded again from the profile version it kept."""

    party: str
    what: str
    due_at: str
    rule: str
    profile_version: int


def _missed(found: Notification, case: Case | None) -> list[MissedLine]:
    """One query, and one more when a reply was missed on a notification that is not its case."""
    lines = []
    for row in queries.missed(found.entry_index):
        rules = rules_at(row.profile_version)
        within = rules.acknowledgement.within
        if row.what == "reply":
            mine = case is not None and case.entry_index == found.entry_index
            owed = case if mine else queries.case(found.entry_index)
            within = REPLY_PERIODS[owed.kind](rules) if owed is not None else within
        lines.append(
            MissedLine(
                row.party,
                row.what,
                row.due_at,
                f"{period(within)}, {within.cite()}",
                row.profile_version,
            )
        )
    return lines


def _case_deadlines(case: Case) -> list[Deadline]:
    rules = rules_at(case.profile_version)
    found: list[Deadline] = []
    if case.reply_due and case.kind in REPLY_PERIODS:
        reply: Period = REPLY_PERIODS[case.kind](rules)
        found.append(
            Deadline(
                str(word("reply")),
                case.reply_due,
                period(reply),
                reply.cite(),
                case.profile_version,
            )
        )
    if case.meeting_due:
        meetings = rules.risk_reduction
        held = (
            meetings.bilateral_meeting
            if case.state == "bilateral_meeting_requested"
            else meetings.all_meeting
        )
        found.append(
            Deadline(
                str(word("meeting_due")),
                case.meeting_due,
                period(held),
                held.cite(),
                case.profile_version,
            )
        )
    return found


NEXT_STEPS = {
    "consultation": (
        "clarification-reply",
        "bilateral-meeting-request",
        "all-parties-meeting-request",
    ),
    "inspection": ("inspection-reply", "inspection-report"),
    "evaluation": ("evaluation-reply",),
}


def _next_steps(case: Case, party: str | None) -> list[Format]:
    """The messages the reader's party may send next in a case, reached with the request
    prefilled; the log decides again when one is sent."""
    if party is None or case.state == "closed":
        return []
    steps: list[Format] = []
    for name in NEXT_STEPS.get(case.kind, ()):
        fmt = FORMATS[name]
        replying = fmt.model.__name__ in {"ClarificationReply", "VisitReply"}
        if replying and party == case.counterpart and case.reply_entry is None:
            steps.append(fmt)
        elif name.endswith("meeting-request") and party == case.initiator:
            asked = case.state in {"replied", "reply_overdue", "reply_due"}
            if asked or (name.startswith("all") and case.state == "bilateral_meeting_requested"):
                steps.append(fmt)
        elif name == "inspection-report" and party == case.initiator and case.state == "accepted":
            steps.append(fmt)
    return steps


@require_safe
def notification(request: HttpRequest, notification: int) -> HttpResponse:
    """A notification: the act as a sentence, its public facts, its content for a reader
    allowed to read it, the delivery and acknowledgement grid, its corrections, its case
    with each deadline and the rule that set it, and the acts the reader may make."""
    found = queries.notification(notification)
    if found is None:
        raise Http404(f"entry {notification} is not a notification")
    party = session_party(request)
    secretariat = forum_queries.secretariat()
    readable = may_read(found, party, secretariat)
    case = queries.case(found.case) if found.case is not None else None
    deliveries = queries.deliveries(notification) if readable else []
    own = next((row for row in deliveries if row.recipient == party), None)
    owed = [row.recipient for row in deliveries if row.ack_entry is None]
    if case is not None and case.reply_entry is None:
        owed.append(case.counterpart)
    names = party_names()
    context = {
        "notification": found,
        "fmt": FORMATS.get(found.format),
        "readable": readable,
        "payload": queries.content(found) if readable else None,
        "deliveries": deliveries,
        "missed": _missed(found, case) if readable else [],
        "now": clock.now(),
        "ack_deadline": _ack_deadline(found),
        "lead": rules_at(found.profile_version).notification.lead_days,
        "case": case,
        "case_deadlines": _case_deadlines(case) if case is not None else [],
        "thread": queries.thread(case.entry_index) if case is not None else [],
        "next_steps": _next_steps(case, party) if case is not None else [],
        "offers": [
            offer
            for offer in (
                _offer(request, acts.ACKNOWLEDGE, csbm_forms.AcknowledgeForm(), notification)
                if own is not None and own.ack_entry is None
                else None,
                _offer(request, acts.CLOSE, csbm_forms.CloseForm(), case.entry_index)
                if case is not None and case.state != "closed" and party == case.initiator
                else None,
                _offer(
                    request,
                    acts.MISSED,
                    csbm_forms.MissedForm(
                        parties=[(code, readable_party(code, names)) for code in sorted(set(owed))]
                    ),
                    notification,
                )
                if party is not None and party == secretariat and owed
                else None,
            )
            if offer is not None
        ],
    }
    return _private(render(request, "csbm/notification.html", context))


# -- sending --------------------------------------------------------------------------------------


def _pickable(party: str | None) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The participating parties but the reader's own, and all of them, by name, for party
    pickers; three queries."""
    names = party_names()
    everyone = sorted(
        ((code, readable_party(code, names)) for code in queries.participating()),
        key=lambda pair: pair[1],
    )
    return [pair for pair in everyone if pair[0] != party], everyone


def _notify_page(request: HttpRequest) -> HttpResponse:
    party = session_party(request)
    chosen = request.GET.get("format", "")
    initial = {key: value for key, value in request.GET.items() if key != "format"}
    form = csbm_forms.notify_form(chosen, _pickable(party), initial=initial) if chosen else None
    act = offered(request, acts.NOTIFY, _box(acts.NOTIFY))
    seal = _offer(request, acts.SEAL, csbm_forms.SealForm())
    context = {
        "formats": list(FORMATS.values()),
        "chosen": FORMATS.get(chosen),
        "form": form,
        "act": act,
        "offers": [seal] if seal is not None and form is None else [],
    }
    return _private(render(request, "csbm/notify.html", context))


@require_http_methods(["GET", "HEAD", "POST"])
def notify(request: HttpRequest) -> HttpResponse:
    """GET: the type chooser and the chosen type's form (prefilled from the query: a reply
    reached from its request names it). POST: seal and send the notification."""
    if request.method != "POST":
        return _notify_page(request)
    actor = acting_person(request)
    form = csbm_forms.notify_form(str(request.POST.get("format", "")), _pickable(actor.party))
    if form is None:
        raise Http404("There is no such notification format.")
    form = csbm_forms.notify_form(form.fmt.id, _pickable(actor.party), data=request.POST)
    assert form is not None
    return _perform(request, form, acts.NOTIFY, shown(acts.NOTIFY, _box(acts.NOTIFY)), {})


# -- the threshold check --------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """One figure against one threshold, in the reader's language."""

    what: str
    value: int
    limit: int
    cite: str


def _over(forces: Forces, limits: dict[str, Number]) -> list[Reason]:
    return [
        Reason(label(name), getattr(forces, name), limit.value, limit.cite())
        for name, limit in limits.items()
        if getattr(forces, name) >= limit.value
    ]


def _reasons(forces: Forces, rules: CsbmRules) -> dict[str, list[Reason]]:
    """The thresholds the forces reach, as ``assess`` judges them (the same numbers of the
    same profile), for a page that must say them in Russian too."""
    landed = forces.airborne_troops + forces.amphibious_troops
    note, seen = rules.notification, rules.observation
    notify = _over(forces, {name: getattr(note, name) for name in LAND})
    observe = _over(forces, {name: getattr(seen, name) for name in LAND})
    both = str(label("airborne_troops")) + " + " + str(label("amphibious_troops"))
    for found, limit in (
        (notify, note.amphibious_or_airborne_troops),
        (observe, seen.amphibious_or_airborne_troops),
    ):
        if landed >= limit.value:
            found.append(Reason(both, landed, limit.value, limit.cite()))
    constrained: list[Reason] = []
    for constraint in rules.constraints:
        constrained += _band(forces, constraint)
    return {"notify": notify, "observe": observe, "constrained": constrained}


def _band(forces: Forces, constraint: Constraint) -> list[Reason]:
    return [
        Reason(label(name), getattr(forces, name), limit.value, constraint.most.cite())
        for name in LAND
        if (limit := getattr(constraint, name)) is not None and getattr(forces, name) > limit.value
    ]


def _forces(request: HttpRequest) -> tuple[Forces | None, csbm_forms.ThresholdForm]:
    """The forces typed in the threshold form or in a prior notification's form (whose
    fields are ``forces_troops`` …)."""
    data = {
        name: request.GET.get(name) or request.GET.get(f"forces_{name}") or ""
        for name in csbm_forms.ThresholdForm.base_fields
        if name != "starts_on"
    } | {"starts_on": request.GET.get("starts_on", "")}
    form = csbm_forms.ThresholdForm(data)
    if not form.is_valid():
        return None, form
    figures = {k: v for k, v in form.cleaned_data.items() if k != "starts_on" and v is not None}
    try:
        return Forces.model_validate(figures), form
    except ValidationError as error:
        for fault in error.errors():
            form.add_error(str(fault["loc"][0]) if fault["loc"] else None, fault["msg"])
        return None, form


@require_safe
def threshold(request: HttpRequest) -> HttpResponse:
    """Whether an activity must be notified, observed, or is constrained, and by when, from
    its forces and start date under the profile in force (``thresholds.assess``); the htmx
    partial for the prior notification's form, or the standalone page."""
    forces, form = _forces(request)
    version, rules = csbm_rules()
    found = None
    if forces is not None:
        start = form.cleaned_data.get("starts_on")
        from datetime import date  # noqa: PLC0415 -- only here

        day = date.fromisoformat(start) if start else None
        found = assess(forces, rules, version, start=day, kind=request.GET.get("kind", ""))
    context = {
        "form": form,
        "assessment": found,
        "reasons": _reasons(forces, rules) if forces is not None else {},
        "rules": rules,
        "version": version,
    }
    if request.headers.get("HX-Request"):
        return render(request, "csbm/partials/_threshold.html", context)
    return render(request, "csbm/threshold.html", context)


# -- cases ----------------------------------------------------------------------------------------


CONSULTATION = (
    "reply_due",
    "replied",
    "bilateral_meeting_requested",
    "all_meeting_requested",
    "closed",
)
"""A consultation's states in order (reference/csbm.md §8); ``reply_overdue`` stands beside
``replied`` when no reply came."""
VISIT = ("reply_due", "accepted", "reported", "closed")


def _cases_context(request: HttpRequest, *kinds: str) -> dict[str, Any]:
    party = session_party(request)
    rows = queries.cases(*kinds)
    return {
        "party": party,
        "now": clock.now(),
        "cases": [
            (
                row,
                _case_deadlines(row),
                _offer(request, acts.CLOSE, csbm_forms.CloseForm(), row.entry_index)
                if row.state != "closed" and party == row.initiator
                else None,
            )
            for row in rows
        ],
    }


@require_safe
def consultations(request: HttpRequest) -> HttpResponse:
    """The consultations on unusual military activities (VD2011 §16): where each stands in
    its state machine, its deadlines and the rule that set each."""
    context = _cases_context(request, "consultation") | {"consultation_steps": CONSULTATION}
    return _private(render(request, "csbm/consultations.html", context))


@require_safe
def inspections(request: HttpRequest) -> HttpResponse:
    """Inspections and evaluation visits, and each receiving party's quota for the year:
    used of its cap, and the most one requester may take, from the profile in force."""
    now = clock.now()
    try:
        year = int(request.GET.get("year", now.year))
    except ValueError:
        year = now.year
    version, rules = csbm_rules()
    inspected, evaluated = queries.quotas(year, rules, queries.participating())
    context = _cases_context(request, "inspection", "evaluation") | {
        "year": year,
        "version": version,
        "rules": rules,
        "inspected": inspected,
        "evaluated": evaluated,
        "quota_rows": list(zip(inspected, evaluated, strict=True)),
        "visit_steps": VISIT,
    }
    return _private(render(request, "csbm/inspections.html", context))


# -- the compliance report ------------------------------------------------------------------------


@require_safe
def compliance(request: HttpRequest, year: int) -> HttpResponse:
    """The yearly compliance report a national verification centre prints: per party,
    notifications on time and late, acknowledgements given and overdue, replies within
    deadline, quotas used; as a table and as charts, with the CSV and JSON downloads."""
    from accord.csbm import compliance as picture  # noqa: PLC0415 -- the report's own module

    if not 2000 <= year <= 2200:
        raise Http404(f"{year} is no year of the log")
    found = picture.report(year, translation.get_language())
    now = clock.now().year
    chosen = sorted({*queries.years(), now, year}, reverse=True)
    context = {
        "report": found,
        "charts": [mark_safe(svg) for svg in picture.charts_svg(found)],  # noqa: S308 -- our own SVG, escaped where it prints text
        "years": chosen,
        "year": year,
    }
    return render(request, "csbm/compliance.html", context)


# -- the webhook ----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def webhook(request: HttpRequest) -> HttpResponse:
    """GET: the address the reader's own party registered (to that party alone) and the form
    a head uses to change it. POST: register it, by the party's signed statement."""
    if request.method == "POST":
        acting_person(request)
        form = csbm_forms.WebhookForm(request.POST)
        return _perform(request, form, acts.WEBHOOK, shown(acts.WEBHOOK, _box(acts.WEBHOOK)), {})
    party = session_party(request)
    context = {
        "party": party,
        "registered": queries.webhook(party) if party else None,
        "offers": [
            offer
            for offer in (_offer(request, acts.WEBHOOK, csbm_forms.WebhookForm()),)
            if offer is not None
        ],
    }
    return _private(render(request, "csbm/webhook.html", context))


urlpatterns: list[URLPattern] = [
    path("csbm/", inbox, name="csbm-inbox"),
    path("csbm/sent/", outbox, name="csbm-outbox"),
    path("csbm/notifications/<int:notification>/", notification, name="csbm-notification"),
    path("csbm/notify/", notify, name="csbm-notify"),
    path("csbm/threshold/", threshold, name="csbm-threshold"),
    path("csbm/consultations/", consultations, name="csbm-consultations"),
    path("csbm/inspections/", inspections, name="csbm-inspections"),
    path("csbm/compliance/<int:year>/", compliance, name="csbm-compliance"),
    path("csbm/webhook/", webhook, name="csbm-webhook"),
    *(path(page.route, _act_view(page), name=page.act.page) for page in PAGES),
]
