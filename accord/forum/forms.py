"""Forms for the forum's pages; their labels and errors speak the person's language."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.forum.statements import CODE, HANDLE


class InvitationForm(forms.Form):
    party = forms.RegexField(
        regex=CODE,
        label=_("Party code"),
        help_text=_("ISO 3166 alpha-2 for a state, e.g. KZ"),
        error_messages={"invalid": _("Use letters, digits and '-', starting with a letter.")},
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("state", _("State")), ("organisation", _("Organisation"))]
    )
    capacity = forms.ChoiceField(
        label=_("Invited as"),
        choices=[
            ("participating", _("participating party")),
            ("observer", _("observer")),
            ("partner", _("partner")),
        ],
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"),
        widget=forms.RadioSelect,
        choices=[
            ("interested", _("Interested")),
            ("accepted", _("Accepted")),
            ("declined", _("Declined")),
        ],
    )


class LeaveForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class ProposalForm(forms.Form):
    profile = forms.JSONField(
        label=_("The next rules profile, in full (JSON)"),
        widget=forms.Textarea(attrs={"rows": 16}),
    )


class DescriptionForm(forms.Form):
    name = forms.JSONField(
        label=_("The forum's name in each official language (JSON: language to name)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    purpose = forms.JSONField(
        label=_("What the forum is for, in each official language (JSON: language to text)"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ChairForm(forms.Form):
    to = forms.RegexField(regex=CODE, label=_("Hand the chair to (party code)"))


DELEGATION_ROLES = [
    ("head", _("head of delegation")),
    ("delegate", _("delegate")),
    ("adviser", _("adviser")),
]


def handle_field() -> forms.RegexField:
    return forms.RegexField(
        regex=HANDLE,
        label=_("Handle"),
        error_messages={"invalid": _("Lower-case letters, digits, '.' and '-'.")},
    )


class AccreditForm(forms.Form):
    handle = handle_field()
    role = forms.ChoiceField(label=_("Role"), choices=DELEGATION_ROLES)


class PersonForm(forms.Form):
    handle = handle_field()
    party = forms.RegexField(regex=CODE, label=_("Party code"))
    role = forms.ChoiceField(
        label=_("Role"), choices=[*DELEGATION_ROLES, ("staff", _("secretariat staff"))]
    )
    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked that this is the right person and that they asked for it."),
        error_messages={"required": _("Tick the box to confirm.")},
    )
