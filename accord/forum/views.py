"""The forum's pages: read by anyone, acted on by signed-in people for their own party.

Every act goes through ``actions`` as the signed-in person (``acting_person``),
so the rules profile decides on the web exactly as on the API and the CLI.
After an act the page shows its receipt; a refusal appears beside the form, in
the reader's language. An htmx request gets the partial, any other the page.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.forum import actions, chart, queries
from accord.forum.forms import (
    AccreditForm,
    AnswerForm,
    ChairForm,
    InvitationForm,
    LeaveForm,
    PersonForm,
)
from accord.forum.profile import ACTING_ROLES, STANDINGS
from accord.front.refusals import sentence
from accord.front.signin import acting_person, person_of
from accord.ledger.errors import Rejected
from accord.ledger.submit import Accepted

Act = Callable[[actions.Actor, dict[str, Any]], list[Accepted]]


def _page(
    request: HttpRequest, partial: str, page: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    template = partial if request.headers.get("HX-Request") else page
    return render(request, template, context, status=status)


def _act(
    request: HttpRequest,
    form: forms.Form,
    act: Act,
    form_template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """Run an act from a posted form; answer with the receipt, or the form and its error."""
    actor = acting_person(request)
    context = {**context, "form": form}
    if not form.is_valid():
        return _page(
            request,
            form_template,
            "forum/act.html",
            context | {"form_template": form_template},
            status=400,
        )
    try:
        accepted = act(actor, form.cleaned_data)
    except Rejected as refusal:
        context |= {
            "refusal": sentence(refusal),
            "refusal_code": refusal.code,
            "form_template": form_template,
        }
        return _page(request, form_template, "forum/act.html", context, status=422)
    return _page(
        request, "forum/partials/_receipt.html", "forum/receipt.html", {"accepted": accepted}
    )


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    points = queries.membership_over_time()
    context = {
        "groups": queries.parties_by_status(),
        "chart": chart.membership(points),
        "points": points,
        "recent": queries.recent_acts(),
        "person": person_of(request),
    }
    return render(request, "forum/home.html", context)


@require_GET
def party(request: HttpRequest, code: str) -> HttpResponse:
    row = queries.party(code)
    if row is None:
        raise Http404(f"{code} is not a party to this forum")
    person = person_of(request)
    own = person is not None and person.party == code
    context = {
        "party": row,
        "history": queries.status_history(code),
        "keys": queries.keys(code),
        "delegation": queries.delegation(code),
        "invitations": queries.invitations(code),
        "own": own,
        "leave_form": LeaveForm(),
        "chair_form": ChairForm(),
    }
    return render(request, "forum/party.html", context)


@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = InvitationForm(request.POST)
        return _act(
            request,
            form,
            lambda actor, data: actions.invite(
                actor,
                data["party"],
                data["name"],
                category=data["category"],
                capacity=data["capacity"],
                message=data["message"],
            ),
            "forum/partials/_invite_form.html",
            {},
        )
    context = {
        "invitations": queries.invitations(),
        "form": InvitationForm(),
        "person": person_of(request),
    }
    return render(request, "forum/invitations.html", context)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, entry: int) -> HttpResponse:
    row = queries.invitation(entry)
    if row is None:
        raise Http404(f"entry {entry} is not an invitation")
    person = person_of(request)
    context: dict[str, Any] = {
        "invitation": row,
        "party": queries.party(row.party),
        "person": person,
    }
    if request.method == "POST":
        return _act(
            request,
            AnswerForm(request.POST),
            lambda actor, data: [actions.answer(actor, data["answer"], invitation=entry)],
            "forum/partials/_answer_form.html",
            context,
        )
    can_answer = person is not None and person.party == row.party and row.is_open
    return render(
        request, "forum/invitation.html", context | {"form": AnswerForm(), "can_answer": can_answer}
    )


@require_POST
def join(request: HttpRequest) -> HttpResponse:
    return _act(
        request,
        forms.Form(request.POST),
        lambda actor, _data: [actions.join(actor)],
        "forum/partials/_join_form.html",
        {},
    )


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    return _act(
        request,
        LeaveForm(request.POST),
        lambda actor, data: [actions.leave(actor, reason=data["reason"])],
        "forum/partials/_leave_form.html",
        {},
    )


@require_POST
def chair(request: HttpRequest) -> HttpResponse:
    return _act(
        request,
        ChairForm(request.POST),
        lambda actor, data: [actions.hand_over_chair(actor, data["to"])],
        "forum/partials/_chair_form.html",
        {},
    )


@require_http_methods(["GET", "POST"])
def people(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if request.method == "POST":
        return _act(
            request,
            AccreditForm(request.POST),
            lambda actor, data: [actions.accredit(actor, data["handle"], data["role"])],
            "forum/partials/_accredit_form.html",
            {},
        )
    context = {
        "accreditations": queries.accreditations(),
        "person": person,
        "form": AccreditForm(),
        "person_form": PersonForm(),
    }
    return render(request, "forum/people.html", context)


@require_POST
def withdraw(request: HttpRequest, handle: str) -> HttpResponse:
    return _act(
        request,
        forms.Form(request.POST),
        lambda actor, _data: [actions.withdraw(actor, handle)],
        "forum/partials/_withdraw_form.html",
        {"handle": handle},
    )


@require_POST
def add_person(request: HttpRequest) -> HttpResponse:
    """Secretariat staff add a person; the page shows the one-time sign-in link once."""
    staff = acting_person(request)
    if staff.party != queries.secretariat():
        raise PermissionDenied("only secretariat staff add people")
    form = PersonForm(request.POST)
    context: dict[str, Any] = {"person_form": form}
    if not form.is_valid():
        return _page(
            request,
            "forum/partials/_person_form.html",
            "forum/act.html",
            context | {"form_template": "forum/partials/_person_form.html"},
            status=400,
        )
    data = form.cleaned_data
    try:
        added = actions.add_person(
            data["handle"],
            party=data["party"],
            role=data["role"],
            email=data["email"],
            name=data["name"],
        )
    except Rejected as refusal:
        context |= {
            "refusal": sentence(refusal),
            "form_template": "forum/partials/_person_form.html",
        }
        return _page(
            request, "forum/partials/_person_form.html", "forum/act.html", context, status=422
        )
    link = request.build_absolute_uri(f"/sign-in/link/{added.sign_in_token}")
    return _page(
        request,
        "forum/partials/_receipt.html",
        "forum/receipt.html",
        {
            "accepted": [added.accepted] if added.accepted else [],
            "sign_in_link": link,
            "added": added.person,
        },
    )


@require_GET
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
    context = {"version": version, "profile": profile, "standings": STANDINGS, "rows": rows}
    return render(request, "forum/rules.html", context)
