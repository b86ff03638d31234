"""The forum's witnesses page: who registered which witness, whether it counts, how it keeps up.

Read by anyone. For each registration: the party, the witness's name and
address, its key algorithms, whether the registration counts toward the
witness policy and, if not, why in words; and, from the host's dealings with
the witness (``WitnessContact``), the last size it cosigned, how far it lags
behind the log and since when it fails. Below, the policy as published. A
signed-in head of delegation is offered the forms to register and remove.
"""

from dataclasses import dataclass

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from accord.forum.views import Perform, act_from_form, offered, shown
from accord.forum.witness_acts import REGISTER_WITNESS, REMOVE_WITNESS
from accord.forum.witness_policy import forum_witnesses, participating, why_not_counted
from accord.ledger.acts import Act
from accord.ledger.models import LogState, RegisteredWitness, WitnessContact
from accord.tlog.cosignature import MLDSA44, key_type

REGISTER_BOX, REMOVE_BOX = "witness-register-form", "witness-remove-form"


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=_("Witness name"),
        max_length=200,
        help_text=_("Its key name, e.g. hu.example/witness"),
    )
    vkeys = forms.CharField(
        label=_("Verifier keys"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, as 'accord witness init' printed them, Ed25519 first"),
    )
    url = forms.URLField(label=_("Address"), max_length=500, assume_scheme="https")
    attestation = forms.CharField(
        label=_("Attestation"),
        required=False,
        max_length=200,
        help_text=_("What 'accord witness attest' printed for this forum, party and address"),
    )

    def clean_vkeys(self) -> list[str]:
        return str(self.cleaned_data["vkeys"]).split()


class RemovalForm(forms.Form):
    name = forms.CharField(label=_("Witness name"), max_length=200)


@dataclass(frozen=True)
class Registration:
    """One row of the page."""

    row: RegisteredWitness
    algorithms: list[str]
    counts: bool
    reasons: list[str | Promise]
    contact: WitnessContact | None
    lag: int | None


def _algorithms(keys: list[str]) -> list[str]:
    return ["ML-DSA-44" if key_type(key) == MLDSA44 else "Ed25519" for key in keys]


def registrations() -> list[Registration]:
    """Every registration, current ones first, with its standing and the host's dealings with
    it. Three queries."""
    parties = participating()
    state = LogState.objects.filter(pk=1).first()
    size = state.size if state else 0
    rows = RegisteredWitness.objects.order_by("removed_at", "party", "name")
    contacts = {contact.vkey: contact for contact in WitnessContact.objects.all()}
    found = []
    for row in rows:
        contact = next((contacts[key] for key in row.keys if key in contacts), None)
        reasons = why_not_counted(row, parties)
        lag = size - contact.cosigned_size if contact is not None else None
        found.append(Registration(row, _algorithms(row.keys), not reasons, reasons, contact, lag))
    return found


def _perform(act: Act) -> Perform:
    """The act's own perform, its receipts for the receipt page (as the forum's pages do)."""
    return lambda actor, data: {"accepted": act.action(actor, data)}


@require_safe
def witnesses(request: HttpRequest) -> HttpResponse:
    """The witnesses page, with the forms the signed-in person's party may use."""
    source = forum_witnesses()
    context = {
        "registrations": registrations(),
        "policy_text": source.policy_text,
        "register": offered(request, REGISTER_WITNESS, REGISTER_BOX),
        "register_form": RegistrationForm(),
        "remove": offered(request, REMOVE_WITNESS, REMOVE_BOX),
        "remove_form": RemovalForm(),
    }
    return render(request, "forum/registrations.html", context)


@require_POST
def register(request: HttpRequest) -> HttpResponse:
    """Register (or rotate) the party's witness with the key the host keeps for it."""
    return act_from_form(
        request,
        RegistrationForm(request.POST),
        _perform(REGISTER_WITNESS),
        shown(REGISTER_WITNESS, REGISTER_BOX),
        REGISTER_WITNESS,
    )


@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    """Remove the party's witness, with the key the host keeps for it."""
    return act_from_form(
        request,
        RemovalForm(request.POST),
        _perform(REMOVE_WITNESS),
        shown(REMOVE_WITNESS, REMOVE_BOX),
        REMOVE_WITNESS,
    )
