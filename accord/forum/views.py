"""The forum's pages: read by anyone, acted on by signed-in people for their own party.

Every act goes through ``actions`` as the signed-in person (``acting_person``),
so the rules profile decides on the web exactly as on the API and the CLI.
After an act the page shows its receipt; a refusal appears beside the form, in
the reader's language. An htmx request gets the partial, any other the page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accord.forum import actions, acts, chart, queries, rulebook
from accord.forum.acts import permits
from accord.forum.awaits import awaiting
from accord.forum.forms import (
    AccreditForm,
    AnswerForm,
    ChairForm,
    ConfirmForm,
    DescriptionForm,
    InvitationForm,
    LeaveForm,
    PersonForm,
    ProposalForm,
)
from accord.forum.profile import ACTING_ROLES, STANDINGS
from accord.front.refusals import sentence
from accord.ledger import queries as ledger_queries
from accord.ledger.acts import Act
from accord.ledger.errors import Rejected
from accord.ledger.submit import Accepted
from accord.people import actions as people_actions
from accord.people.models import AccountChange, Person
from accord.people.signin import person_of, second_factor_missing, site_url

INVITE, ACCREDIT, ADD_PERSON = "invite-form", "accredit-form", "person-form"


def acting_person(request: HttpRequest) -> actions.Actor:
    """The actor for a signed-in person's act; PermissionDenied says what is missing."""
    person = person_of(request)
    if person is None:
        raise PermissionDenied(_("Sign in to act for your party."))
    if second_factor_missing(request, person):
        raise PermissionDenied(
            _("Your role needs a code from your authenticator: sign in with it first.")
        )
    return actions.Actor(person.party, person.handle)


Perform = Callable[[actions.Actor, dict[str, Any]], dict[str, Any]]
"""An act: the actor and the form's cleaned data in, the receipt page's context out."""
FORM = "forum/partials/_act_form.html"


@dataclass(frozen=True)
class ActForm:
    """Where a form posts, the element htmx replaces with the answer, its button, and whether
    it asks to confirm an act that cannot be undone."""

    box: str
    action: str
    label: str
    confirm: bool = False


def shown(act: Act, box: str, *args: object) -> ActForm:
    """The declared act's form, posting to its page's URL."""
    return ActForm(box, reverse(act.page, args=args), str(act.title), confirm=not act.undoable)


def offered(request: HttpRequest, act: Act, box: str, *args: object) -> ActForm | None:
    """The act's form if the rules profile grants it to the signed-in person now, else None:
    a page offers only what its reader may do (the log decides again on the act). One query."""
    person = person_of(request)
    if person is None:
        return None
    if not permits(person.party, person.handle, act, queries.secretariat() or ""):
        return None
    return shown(act, box, *args)


def page_or_partial(
    request: HttpRequest, partial: str, page: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    template = partial if request.headers.get("HX-Request") else page
    return render(request, template, context, status=status)


def act_from_form(  # noqa: PLR0913, PLR0917 -- the act, its form and where it was shown
    request: HttpRequest,
    form: forms.Form,
    perform: Perform,
    shown_as: ActForm,
    act: Act,
    path: dict[str, Any] | None = None,
) -> HttpResponse:
    """Run an act from a posted form (with the fields its URL names, ``path``); answer with
    the receipt and the done act's sentence, or the form and its error."""
    actor = acting_person(request)
    context: dict[str, Any] = {"form": form, "act": shown_as}
    if not form.is_valid():
        return page_or_partial(request, FORM, "forum/act.html", context, status=400)
    if shown_as.confirm and request.POST.get("confirm") != "on":
        context |= {"refusal": _("Tick the box to confirm: this act cannot be undone.")}
        return page_or_partial(request, FORM, "forum/act.html", context, status=400)
    try:
        fields = form.cleaned_data | (path or {})
        done = perform(actor, dict(fields))
    except Rejected as refusal:
        context |= {"refusal": sentence(refusal, act)}
        return page_or_partial(request, FORM, "forum/act.html", context, status=422)
    party = queries.party(actor.party)
    told = act.describe(party.name if party else actor.party, fields)
    return page_or_partial(
        request, "forum/partials/_receipt.html", "forum/receipt.html", done | {"done": told}
    )


def _receipts(accepted: list[Accepted]) -> dict[str, Any]:
    return {"accepted": accepted}


def _declared(act: Act) -> Perform:
    """The declaration's own perform, its receipts for the receipt page."""
    return lambda actor, data: _receipts(act.action(actor, data))


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The forum: its purpose in the reader's language, what awaits the signed-in person,
    its parties, membership over time and recent acts."""
    points = queries.membership_over_time()
    person = person_of(request)
    context = {
        "groups": queries.parties_by_status(),
        "chart": chart.membership(points),
        "points": points,
        "recent": queries.recent_acts(),
        "person": person,
        "awaiting": awaiting(person),
    }
    return render(request, "forum/home.html", context)


@require_safe
def party(request: HttpRequest, code: str) -> HttpResponse:
    row = queries.party(code)
    if row is None:
        raise Http404(f"{code} is not a party to this forum")
    person = person_of(request)
    context = {
        "party": row,
        "history": queries.status_history(code),
        "keys": queries.keys(code),
        "delegation": queries.delegation(code),
        "invitations": queries.invitations(code),
        "acts": ledger_queries.signed_by(code),
        "own": person is not None and person.party == code,
        "join_act": offered(request, acts.JOIN, "join-form"),
        "leave_act": offered(request, acts.LEAVE, "leave-form"),
        "leave": LeaveForm(),
        "chair_act": offered(request, acts.CHAIR, "chair-form"),
        "chair": ChairForm(),
    }
    return render(request, "forum/party.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def invitations(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        invite = acts.INVITE
        return act_from_form(
            request, InvitationForm(request.POST), _declared(invite), shown(invite, INVITE), invite
        )
    context = {
        "invitations": queries.invitations(),
        "form": InvitationForm(),
        "act": offered(request, acts.INVITE, INVITE),
        "person": person_of(request),
    }
    return render(request, "forum/invitations.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request: HttpRequest, entry: int) -> HttpResponse:
    row = queries.invitation(entry)
    if row is None:
        raise Http404(f"entry {entry} is not an invitation")
    if request.method == "POST":
        answering = acts.ANSWER
        return act_from_form(
            request,
            AnswerForm(request.POST),
            lambda actor, data: _declared(answering)(actor, data) | {"answer": data["answer"]},
            shown(answering, "answer-form", entry),
            answering,
            {"invitation": entry},
        )
    person = person_of(request)
    act = offered(request, acts.ANSWER, "answer-form", entry)
    context = {
        "invitation": row,
        "party": queries.party(row.party),
        "can_answer": act is not None
        and person is not None
        and person.party == row.party
        and row.is_open,
        "form": AnswerForm(),
        "act": act,
    }
    return render(request, "forum/invitation.html", context)


@require_POST
def join(request: HttpRequest) -> HttpResponse:
    act = acts.JOIN
    return act_from_form(
        request, forms.Form(request.POST), _declared(act), shown(act, "join-form"), act
    )


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    act = acts.LEAVE
    return act_from_form(
        request, LeaveForm(request.POST), _declared(act), shown(act, "leave-form"), act
    )


@require_POST
def chair(request: HttpRequest) -> HttpResponse:
    act = acts.CHAIR
    return act_from_form(
        request, ChairForm(request.POST), _declared(act), shown(act, "chair-form"), act
    )


@require_http_methods(["GET", "HEAD", "POST"])
def people(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        act = acts.ACCREDIT
        form = AccreditForm(request.POST)
        return act_from_form(request, form, _declared(act), shown(act, ACCREDIT), act)
    person = person_of(request)
    may_withdraw = person is not None and permits(
        person.party, person.handle, acts.WITHDRAW, queries.secretariat() or ""
    )
    rows = [
        (
            row,
            shown(acts.WITHDRAW, f"withdraw-{row.handle}", row.handle)
            if may_withdraw and person and person.party == row.party
            else None,
        )
        for row in queries.accreditations()
    ]
    context = {
        "rows": rows,
        "person": person,
        "form": AccreditForm(),
        "act": offered(request, acts.ACCREDIT, ACCREDIT),
        "person_form": PersonForm(),
        "person_act": shown(acts.ADD_PERSON, ADD_PERSON),
        "awaiting": _awaiting(request, person),
        "accounts": queries.accounts() if _is_staff(request, person) else [],
    }
    return render(request, "forum/people.html", context)


def _is_staff(request: HttpRequest, person: Person | None) -> bool:
    """Secretariat staff in the log now who passed the second factor in this session."""
    return (
        person is not None
        and queries.is_staff(person.handle)
        and not second_factor_missing(request, person)
    )


def _awaiting(request: HttpRequest, person: Person | None) -> list[Person]:
    """Whom the secretariat added and the viewer may see: a head of delegation its party's,
    staff everyone's, once their session passed the second factor; nobody else any."""
    if person is None or second_factor_missing(request, person):
        return []
    return queries.awaiting_accreditation(person) or []


@require_POST
def withdraw(request: HttpRequest, handle: str) -> HttpResponse:
    act = acts.WITHDRAW
    perform = _declared(act)
    return act_from_form(
        request,
        forms.Form(request.POST),
        perform,
        shown(act, f"withdraw-{handle}", handle),
        act,
        {"handle": handle},
    )


@require_POST
def add_person(request: HttpRequest) -> HttpResponse:
    """Secretariat staff add a person's account; the sign-in link goes to the person's
    e-mail through the outbox, never to the page."""
    staff = acting_person(request)
    if staff.person is None or not queries.is_staff(staff.person):
        raise PermissionDenied(_("Only secretariat staff add people."))

    def add(_staff: actions.Actor, data: dict[str, Any]) -> dict[str, Any]:
        added = actions.add_person(
            data["handle"],
            party=data["party"],
            role=data["role"],
            email=data["email"],
            name=data["name"],
            mail_link_from=site_url(request),
            by=staff.person,
        )
        return {"accepted": [], "added": added.person}

    act = acts.ADD_PERSON
    return act_from_form(request, PersonForm(request.POST), add, shown(act, ADD_PERSON), act)


@dataclass(frozen=True)
class AccountAct:
    """One of the staff's acts on an account, as its confirmation page shows it."""

    change: Callable[..., AccountChange]
    title: str
    explanation: str
    button: str
    done: str


def _account_acts() -> dict[str, AccountAct]:
    return {
        "second_factor_reset": AccountAct(
            people_actions.reset_second_factor,
            _("Reset the second factor of %(handle)s"),
            _(
                "This removes every authenticator of the account, for a person who lost "
                "theirs: they must add a new one before they act. They are told by e-mail, "
                "and the reset is recorded with your handle."
            ),
            _("Reset the second factor"),
            _("The second factor of %(handle)s was reset; they are told by e-mail."),
        ),
        "deactivated": AccountAct(
            people_actions.deactivate,
            _("Deactivate the account of %(handle)s"),
            _(
                "The account can no longer sign in; its API tokens and sign-in links stop "
                "working and its sessions end. Its accreditation in the log stays until its "
                "party withdraws it. They are told by e-mail, and the change is recorded "
                "with your handle."
            ),
            _("Deactivate the account"),
            _("The account of %(handle)s was deactivated; they are told by e-mail."),
        ),
    }


def _account_refusals() -> dict[str, str]:
    return {
        "own_account": _("Ask another staff member to change your own account."),
        "unknown_person": _("No account has this handle."),
    }


def _change_account(request: HttpRequest, handle: str, change: str) -> HttpResponse:
    """GET asks staff to confirm; POST with the confirmation makes the change."""
    staff = acting_person(request)
    if staff.person is None or not queries.is_staff(staff.person):
        raise PermissionDenied(
            _("Only secretariat staff reset second factors and deactivate accounts.")
        )
    act = _account_acts()[change]
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {
        "act": act,
        "form": form,
        "heading": act.title % {"handle": handle},
        "done": act.done % {"handle": handle},
    }
    if request.method != "POST":
        return render(request, "forum/account_change.html", context)
    if not form.is_valid():
        return render(request, "forum/account_change.html", context, status=400)
    try:
        context["record"] = act.change(handle, by=staff.person)
    except Rejected as refusal:
        context["refusal"] = _account_refusals().get(refusal.code, refusal.reason)
        return render(request, "forum/account_change.html", context, status=422)
    return render(request, "forum/account_change.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def reset_second_factor(request: HttpRequest, handle: str) -> HttpResponse:
    return _change_account(request, handle, "second_factor_reset")


@require_http_methods(["GET", "HEAD", "POST"])
def deactivate(request: HttpRequest, handle: str) -> HttpResponse:
    return _change_account(request, handle, "deactivated")


@require_safe
def rules(request: HttpRequest) -> HttpResponse:
    found = queries.profile()
    if found is None:
        raise Http404("no forum has been founded on this log")
    version, profile = found
    rows = [
        (
            kind,
            [
                [role for role in ACTING_ROLES if f"{standing}:{role}" in grants]
                for standing in STANDINGS
            ],
        )
        for kind, grants in sorted(profile.may.items())
    ]
    proposals = [
        (
            proposal,
            offered(request, acts.AGREE, "agree-form", proposal.entry_index),
            offered(request, acts.ADOPT, "adopt-form", proposal.entry_index),
        )
        for proposal in rulebook.open_proposals()
    ]
    context = {
        "version": version,
        "profile": profile,
        "standings": STANDINGS,
        "rows": rows,
        "chapters": rulebook.chapters(profile),
        "proposals": proposals,
        "propose_act": offered(request, acts.PROPOSE, "propose-form"),
    }
    return render(request, "forum/rules.html", context)


def _profile_act(
    request: HttpRequest, act: Act, form: forms.Form, box: str, **path: Any
) -> HttpResponse:
    """A rules-profile act's own page: GET offers the form (if the profile grants it), POST
    acts as any act does."""
    args = tuple(path.values())
    if request.method == "POST":
        return act_from_form(request, form, _declared(act), shown(act, box, *args), act, path)
    context = {"form": form, "act": offered(request, act, box, *args), "title": act.title}
    return render(request, "forum/act.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def propose_profile(request: HttpRequest) -> HttpResponse:
    form = ProposalForm(request.POST if request.method == "POST" else None)
    return _profile_act(request, acts.PROPOSE, form, "propose-form")


@require_http_methods(["GET", "HEAD", "POST"])
def agree_profile(request: HttpRequest, entry: int) -> HttpResponse:
    form = forms.Form(request.POST if request.method == "POST" else None)
    return _profile_act(request, acts.AGREE, form, "agree-form", proposal=entry)


@require_http_methods(["GET", "HEAD", "POST"])
def adopt_profile(request: HttpRequest, entry: int) -> HttpResponse:
    form = forms.Form(request.POST if request.method == "POST" else None)
    return _profile_act(request, acts.ADOPT, form, "adopt-form", proposal=entry)


@require_http_methods(["GET", "HEAD", "POST"])
def describe(request: HttpRequest) -> HttpResponse:
    """The forum's name and purpose, for the secretariat or the chair to give anew."""
    form = DescriptionForm(request.POST if request.method == "POST" else None)
    return _profile_act(request, acts.DESCRIBE, form, "describe-form")
