"""Forms for the conference's pages; each field is named as its action's argument
(``accord.dialogue.actions``), so a form's cleaned data is the act's fields and its labels
speak the reader's language. Lists (languages, parties, aligning) are typed comma-separated;
an agenda one item a line, a delegation one member a line.
"""

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.dialogue.models import (
    FOLLOWUP_KINDS,
    FOLLOWUP_STATUSES,
    FORMATS,
    FUNCTIONS,
    INSTRUMENTS,
    ISSUERS,
    LEVELS,
    RECORDS,
    SUMMARY_KINDS,
)
from accord.dialogue.templatetags.dialogue_words import WORDS

LONG = {"rows": 4, "cols": 30}
"""A textarea that fits a phone."""
MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def _choices(codes: tuple[str, ...]) -> list[tuple[str, Any]]:
    return [(code, WORDS.get(code, code)) for code in codes]


def _listed(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class ListField(forms.CharField):
    """Comma-separated words, cleaned to a list."""

    def clean(self, value: Any) -> list[str]:
        return _listed(str(super().clean(value) or ""))


class MomentField(forms.DateTimeField):
    """A time the reader types in UTC, cleaned to the log's RFC 3339 form."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = MOMENT_FORMATS

    def clean(self, value: Any) -> str:
        moment: datetime = super().clean(value)
        return moment.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class DayField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"})

    def clean(self, value: Any) -> str:
        return str(super().clean(value).isoformat())


class ItemField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(label=_("Agenda item"), max_length=16, **kwargs)


class CreateForm(forms.Form):
    series = forms.SlugField(label=_("Series (short name)"), max_length=64)
    series_title = forms.CharField(label=_("Series title"), max_length=300)
    title = forms.CharField(label=_("Title"), max_length=300)
    city = forms.CharField(label=_("City"), max_length=120)
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, initial="UTC")
    starts_on = DayField(label=_("First day"))
    ends_on = DayField(label=_("Last day"))
    chair = forms.CharField(label=_("Chair (party code)"), max_length=32)
    languages = ListField(label=_("Languages (codes, comma-separated)"), initial="en, ru")


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    starts_at = MomentField(label=_("Starts (UTC)"))
    ends_at = MomentField(label=_("Ends (UTC)"))
    room = forms.CharField(label=_("Room"), max_length=120)
    format = forms.ChoiceField(label=_("Format"), choices=_choices(FORMATS))
    record = forms.ChoiceField(label=_("Record"), choices=_choices(RECORDS), initial="summary")
    languages = ListField(label=_("Languages (codes, comma-separated)"), initial="en, ru")
    interpretation = ListField(
        label=_("Interpretation (pairs such as en-ru, comma-separated)"), required=False
    )


def _entries(text: str) -> list[int]:
    try:
        return [int(entry) for entry in _listed(text)]
    except ValueError as bad:
        raise forms.ValidationError(_("Documents and follow-up are named by entry.")) from bad


class AgendaForm(forms.Form):
    """The agenda, one item a line; an item sits under the one its number extends (``2.1``
    under ``2``)."""

    items = forms.CharField(
        label=_("Items, one a line: number | title | document entries | follow-up entries"),
        widget=forms.Textarea(attrs=LONG),
        max_length=20000,
    )

    def clean_items(self) -> list[dict[str, Any]]:
        rows = []
        for line in str(self.cleaned_data["items"]).splitlines():
            parts = [part.strip() for part in line.split("|")]
            if not parts[0]:
                continue
            if len(parts) < 2 or not parts[1]:
                raise forms.ValidationError(_("Each item needs a number and a title."))
            item: dict[str, Any] = {"number": parts[0], "title": parts[1]}
            if len(parts) > 2 and parts[2]:
                item["documents"] = _entries(parts[2])
            if len(parts) > 3 and parts[3]:
                item["followups"] = _entries(parts[3])
            rows.append(item)
        return rows


class AdoptAgendaForm(forms.Form):
    meeting = forms.IntegerField(label=_("Opening meeting (entry)"), min_value=0)


MEMBER_ROWS = 6
"""Rows of the delegation form; a delegation with more members is named from the API or CLI."""


class DelegationForm(forms.Form):
    """The delegation in order of precedence: one row a member, empty rows left out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(1, MEMBER_ROWS + 1):
            self.fields[f"handle_{row}"] = forms.CharField(
                label=_("Member %(row)s (handle)") % {"row": row},
                max_length=40,
                required=row == 1,
            )
            self.fields[f"function_{row}"] = forms.ChoiceField(
                label=_("Function"),
                choices=_choices(FUNCTIONS),
                initial="head" if row == 1 else "alternate",
                required=row == 1,
            )
            self.fields[f"level_{row}"] = forms.ChoiceField(
                label=_("Level"),
                choices=_choices(LEVELS),
                initial="ambassador",
                required=row == 1,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        members = [
            {
                "handle": cleaned[f"handle_{row}"],
                "function": cleaned.get(f"function_{row}", ""),
                "level": cleaned.get(f"level_{row}", ""),
            }
            for row in range(1, MEMBER_ROWS + 1)
            if cleaned.get(f"handle_{row}")
        ]
        if any(not member["function"] or not member["level"] for member in members):
            raise forms.ValidationError(_("Each member needs a handle, a function and a level."))
        return {"members": members}


class CredentialsForm(forms.Form):
    issuer = forms.ChoiceField(label=_("Issued by"), choices=_choices(ISSUERS))
    instrument = forms.ChoiceField(label=_("Instrument"), choices=_choices(INSTRUMENTS))
    dated = DayField(label=_("Dated"))


class AcceptCredentialsForm(forms.Form):
    parties = ListField(label=_("Parties (codes, comma-separated)"))
    report = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs=LONG), max_length=20000)


class ListForm(forms.Form):
    item = ItemField()
    seconds = forms.IntegerField(
        label=_("Speaking time (seconds, 0 for the rules' default)"),
        min_value=0,
        initial=0,
        required=False,
    )

    def clean_seconds(self) -> int:
        return int(self.cleaned_data.get("seconds") or 0)


class ItemForm(forms.Form):
    item = ItemField()


class InscribeForm(forms.Form):
    item = ItemField()
    speaker = forms.CharField(label=_("Speaker (handle)"), max_length=40)
    point_of_order = forms.BooleanField(label=_("Point of order"), required=False)
    on_behalf_of = forms.CharField(label=_("On behalf of"), max_length=200, required=False)
    aligning = ListField(label=_("Aligning (party codes)"), required=False)


class ReplyForm(forms.Form):
    item = ItemField()
    to = forms.CharField(label=_("In reply to (party code)"), max_length=32)
    speaker = forms.CharField(label=_("Speaker (handle)"), max_length=40)


class FloorForm(forms.Form):
    item = ItemField()
    inscription = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class CirculateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    language = forms.CharField(label=_("Language (code)"), max_length=16, initial="en")
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs=LONG), max_length=200000)
    check_against_delivery = forms.BooleanField(
        label=_("Check against delivery"), required=False, initial=True
    )
    distribution = forms.ChoiceField(
        label=_("Distribution"),
        choices=[("public", _("public")), ("restricted", _("restricted"))],
    )


class DeliverForm(forms.Form):
    item = ItemField()
    circulated = forms.IntegerField(label=_("Circulated text (entry)"), min_value=0)
    language = forms.CharField(label=_("Language of delivery (code)"), max_length=16)
    speaker = forms.CharField(label=_("Speaker (handle)"), max_length=40, required=False)
    on_behalf_of = forms.CharField(label=_("On behalf of"), max_length=200, required=False)
    aligning = ListField(label=_("Aligning (party codes)"), required=False)
    revises = forms.IntegerField(label=_("Revises (entry)"), min_value=0, required=False)
    lineage = forms.ChoiceField(
        label=_("Lineage"),
        required=False,
        choices=[("", "—"), ("Rev.", "Rev."), ("Corr.", "Corr."), ("Add.", "Add.")],
    )


class DerestrictForm(forms.Form):
    decision = forms.IntegerField(label=_("Decision (entry)"), min_value=0)


class AskForm(forms.Form):
    item = ItemField()
    document = forms.IntegerField(label=_("Draft (document entry)"), min_value=0)
    revision = forms.IntegerField(label=_("Revision"), min_value=0)
    derestricts = forms.CharField(
        label=_("Statements it derestricts (entries)"), required=False, max_length=2000
    )

    def clean_derestricts(self) -> list[int]:
        try:
            return [int(entry) for entry in _listed(str(self.cleaned_data["derestricts"]))]
        except ValueError as bad:
            raise forms.ValidationError(_("Statements are named by entry.")) from bad


class ObjectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs=LONG), max_length=20000, required=False
    )


class DeclareForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("adopted", _("adopted")), ("not_adopted", _("not adopted"))],
    )


class SummaryForm(forms.Form):
    form = forms.ChoiceField(label=_("Form"), choices=_choices(SUMMARY_KINDS))
    title = forms.CharField(label=_("Title"), max_length=300)
    language = forms.CharField(label=_("Language (code)"), max_length=16, initial="en")
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs=LONG), max_length=200000)


class JournalForm(forms.Form):
    """Nothing to fill: the hash is the journal the log implies, computed when it is sent."""

    sha256 = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class FollowUpForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=_choices(FOLLOWUP_KINDS))
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs=LONG), max_length=20000)
    owner = forms.CharField(label=_("Owner (party code)"), max_length=32)


class FollowUpUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=_choices(FOLLOWUP_STATUSES))
    evidence = forms.CharField(
        label=_("Evidence"), widget=forms.Textarea(attrs=LONG), max_length=20000, required=False
    )
