"""Forms for the charter's pages; each field is named as its action's argument, so a form's
cleaned data is the act's fields (``accord.charter.acts``) and its labels speak the
reader's language.
"""

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accord.charter.acts import ACTIONS, STANCES
from accord.charter.formats import limits
from accord.charter.text import MAX_TEXT
from accord.ledger.envelope import format_time
from accord.ledger.names import language_name

LONG = {"rows": 4, "cols": 30}
"""A textarea that fits a phone (the layout caps it at the page's width)."""


class IntroduceForm(forms.Form):
    """A file to import (Markdown, Word or Akoma Ntoso), its title and original language."""

    file = forms.FileField(
        label=_("The text, as a file"),
        help_text=_("Markdown (.md), Word (.docx) or Akoma Ntoso (.xml)"),
        max_length=200,
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to take the title the file gives."),
    )
    language = forms.ChoiceField(label=_("Original language"))

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(code, language_name(code)) for code in languages]
        reader = translation.get_language() or ""
        field.initial = reader if reader in languages else languages[0]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > limits.MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is too large to import; at most %(most)s bytes."),
                params={"most": f"{limits.MAX_FILE_BYTES:,}"},
            )
        return upload


class AmendForm(forms.Form):
    """An amendment to one provision: what to do with it, the new wording, and why."""

    provision = forms.CharField(widget=forms.HiddenInput, max_length=200)
    action = forms.ChoiceField(label=_("The amendment"), choices=list(ACTIONS.items()))
    heading = forms.CharField(label=_("Heading (if any)"), required=False, max_length=2000)
    text = forms.CharField(
        label=_("The new text"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs=LONG),
        strip=False,
    )
    rationale = forms.CharField(
        label=_("Rationale"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs=LONG)
    )


class TranslateForm(forms.Form):
    """A provision's heading and text in another official language."""

    provision = forms.ChoiceField(label=_("Provision"))
    language = forms.ChoiceField(label=_("Language"))
    heading = forms.CharField(label=_("Heading (if any)"), required=False, max_length=2000)
    text = forms.CharField(
        label=_("Text"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs=LONG)
    )

    def __init__(
        self,
        *args: Any,
        provisions: list[tuple[str, str]],
        languages: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        provision, language = self.fields["provision"], self.fields["language"]
        assert isinstance(provision, forms.ChoiceField)
        assert isinstance(language, forms.ChoiceField)
        provision.choices = provisions
        language.choices = [(code, language_name(code)) for code in languages]


class PositionForm(forms.Form):
    stance = forms.ChoiceField(
        label=_("Your party's position"), choices=list(STANCES.items()), widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs=LONG)
    )


KEEP, INCORPORATE, DROP = "keep", "incorporate", "drop"
CHOICES = [
    (KEEP, _("keep in brackets")),
    (INCORPORATE, _("incorporate")),
    (DROP, _("drop")),
]


class RevisionForm(forms.Form):
    """The chair's choice for every open amendment (none given: kept in brackets); ``number``
    is the revision it issues, as the done sentence tells it."""

    number = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, amendments: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for entry in amendments:
            self.fields[f"amendment_{entry}"] = forms.ChoiceField(
                label=_("Amendment %(entry)s") % {"entry": entry},
                choices=CHOICES,
                initial=KEEP,
                required=False,
                widget=forms.RadioSelect,
            )

    def chosen(self, choice: str) -> list[int]:
        """The amendments the chair gave ``choice``, by entry index."""
        return sorted(
            int(name.removeprefix("amendment_"))
            for name, value in self.cleaned_data.items()
            if name.startswith("amendment_") and value == choice
        )


class SilenceForm(forms.Form):
    """The revision to put under silence and its deadline, which the reader gives in UTC."""

    revision = forms.IntegerField(label=_("Revision"), min_value=0)
    until = forms.DateTimeField(
        label=_("Silence until (UTC)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )

    def clean_until(self) -> str:
        """The deadline as the log writes it: the time typed, read as UTC."""
        moment: datetime = self.cleaned_data["until"]
        return format_time(moment.replace(tzinfo=UTC))


class BreakForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=MAX_TEXT, widget=forms.Textarea(attrs=LONG)
    )
    counter_proposal = forms.CharField(
        label=_("Counter-proposal (if any)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs=LONG),
    )


class ConcludeForm(forms.Form):
    """Nothing to fill: the outcome is what the log shows, computed when the form is sent."""

    outcome = forms.CharField(widget=forms.HiddenInput, required=False, max_length=16)


class InterpretForm(forms.Form):
    text = forms.CharField(
        label=_("Interpretative statement"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs=LONG),
    )
