"""Forms for the CSBM pages. A notification's form is built from its format's payload model
(``accord.csbm.formats``), so the page asks for exactly what the JSON Schema describes:
text, long text, dates, choices for enumerations, numbers, tick boxes, and party pickers for
fields that name parties. A nested model (an activity's forces) becomes one field for each of
its numbers (``forces_troops``); a list of records (the units of an annual exchange, a
calendar's activities, coordinates, phases) is typed as JSON, shown with its description and
an example. The cleaned payload is validated with the model itself, and a fault is shown
beside the field it names.
"""

import json
import types
from datetime import UTC, datetime
from typing import Any, Literal, Union, get_args, get_origin

from django import forms
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from accord.csbm.formats import FORMATS, Format
from accord.csbm.templatetags.csbm_words import LABELS, PARTY_FIELDS, label, paragraph, word

LONG = {"rows": 4, "cols": 30}
"""A textarea that fits a phone."""
LONG_TEXT = 300
"""Text fields allowed more characters than this get a textarea."""
EXAMPLES: dict[str, Any] = {
    "coordinates": [{"lat": "53.902284", "lon": "27.561831"}],
    "phases": [{"starts_on": "2026-05-04", "ends_on": "2026-05-08", "description": "Deployment"}],
    "activities": [
        {
            "designation": "Union Shield",
            "purpose": "A field exercise",
            "kind": "land_exercise",
            "starts_on": "2026-05-04",
            "ends_on": "2026-05-15",
            "area": "Training ranges north of the capital",
            "forces": {"troops": 12000, "battle_tanks": 180},
        }
    ],
    "units": [
        {
            "designation": "1st Brigade",
            "level": "unit",
            "location": "Garrison town",
            "coordinates": {"lat": "53.9", "lon": "27.5"},
            "personnel": 3000,
            "holdings": {"battle_tanks": 40, "acv": 120},
        }
    ],
}
"""What each list of records looks like, for the field's help."""
INVOLVING = frozenset({"states_involved"})
"""Party fields that may name the sender too (the states taking part in its activity)."""


def _literal(annotation: Any) -> tuple[str, ...] | None:
    if get_origin(annotation) is Literal:
        return tuple(str(value) for value in get_args(annotation))
    return None


def _optional(annotation: Any) -> Any:
    """``int | None`` → ``int``."""
    if get_origin(annotation) in {Union, types.UnionType}:
        kept = [arg for arg in get_args(annotation) if arg is not type(None)]
        return kept[0] if len(kept) == 1 else annotation
    return annotation


def _limits(info: FieldInfo) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in info.metadata:
        for name, key in (("ge", "min_value"), ("le", "max_value"), ("max_length", "max_length")):
            value = getattr(item, name, None)
            if value is not None:
                found[key] = value
    return found


class MomentField(forms.DateTimeField):
    """A time typed in UTC, cleaned to the form a payload's moment takes."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")

    def clean(self, value: Any) -> str | None:
        moment: datetime | None = super().clean(value)
        return moment.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


class DayField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"})

    def clean(self, value: Any) -> str | None:
        found = super().clean(value)
        return found.isoformat() if found else None


class JsonField(forms.CharField):
    """A list of records typed as JSON; the model validates its shape."""

    def clean(self, value: Any) -> Any:
        text = str(super().clean(value) or "").strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as bad:
            raise forms.ValidationError(
                _("This is not JSON: %(fault)s (line %(line)d)."),
                params={"fault": bad.msg, "line": bad.lineno},
            ) from bad


def _field(  # noqa: C901, PLR0911 -- one answer per kind of field
    name: str, info: FieldInfo, parties: list[tuple[str, str]], everyone: list[tuple[str, str]]
) -> forms.Field:
    """The form field for one payload field."""
    annotation = _optional(info.annotation)
    required = info.is_required()
    common: dict[str, Any] = {"label": label(name), "required": required}
    ref = paragraph(info.description)
    if ref:
        common["help_text"] = ref
    choices = _literal(annotation)
    if choices is not None:
        return forms.ChoiceField(choices=[(code, word(code)) for code in choices], **common)
    if name in PARTY_FIELDS:
        if name in INVOLVING:
            parties = everyone
        if annotation is str:
            return forms.ChoiceField(choices=[("", "—"), *parties], **common)
        widget = forms.CheckboxSelectMultiple
        return forms.MultipleChoiceField(choices=parties, widget=widget, **common)
    if get_origin(annotation) is list and _literal(get_args(annotation)[0]) is not None:
        values = _literal(get_args(annotation)[0]) or ()
        return forms.MultipleChoiceField(
            choices=[(code, word(code)) for code in values],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if annotation is bool:
        return forms.BooleanField(**(common | {"required": False}))
    if annotation is int:
        limits = {k: v for k, v in _limits(info).items() if k != "max_length"}
        return forms.IntegerField(**common, **limits)
    if annotation is str:
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if extra.get("format") == "date":
            return DayField(**common)
        if extra.get("format") == "date-time":
            return MomentField(**common)
        length = _limits(info).get("max_length", LONG_TEXT)
        if length > LONG_TEXT:
            return forms.CharField(max_length=length, widget=forms.Textarea(attrs=LONG), **common)
        return forms.CharField(max_length=length, **common)
    example = json.dumps(EXAMPLES.get(name, []), ensure_ascii=False)
    return JsonField(
        widget=forms.Textarea(attrs=LONG),
        **(common | {"help_text": _("As JSON, for example: %(example)s") % {"example": example}}),
    )


def _nested(info: FieldInfo) -> type[BaseModel] | None:
    annotation = _optional(info.annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


class NotifyForm(forms.Form):
    """A notification of one format: its payload's fields, and the format chosen."""

    format = forms.CharField(widget=forms.HiddenInput)

    def __init__(
        self,
        fmt: Format,
        parties: list[tuple[str, str]],
        everyone: list[tuple[str, str]],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fmt = fmt
        self.fields["format"].initial = fmt.id
        for name, info in fmt.model.model_fields.items():
            nested = _nested(info)
            if nested is not None:
                for inner, inner_info in nested.model_fields.items():
                    field = _field(inner, inner_info, parties, everyone)
                    field.required = False
                    field.label = f"{label(name)}: {LABELS.get(inner, inner)}"
                    self.fields[f"{name}_{inner}"] = field
                continue
            self.fields[name] = _field(name, info, parties, everyone)

    def _payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name, info in self.fmt.model.model_fields.items():
            nested = _nested(info)
            if nested is not None:
                inner = {
                    key: self.cleaned_data[f"{name}_{key}"]
                    for key in nested.model_fields
                    if self.cleaned_data.get(f"{name}_{key}") not in (None, "")
                }
                if inner or info.is_required():
                    data[name] = inner
                continue
            value = self.cleaned_data.get(name)
            if value in (None, "", []) and not info.is_required():
                continue
            data[name] = value
        return data

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        payload = self._payload()
        try:
            self.fmt.model.model_validate(payload)
        except ValidationError as error:
            for fault in error.errors():
                where = [str(part) for part in fault["loc"]]
                target = where[0] if where and where[0] in self.fields else None
                if where and f"{where[0]}_{where[-1]}" in self.fields:
                    target = f"{where[0]}_{where[-1]}"
                place = label(where[0]) if where else ""
                detail = " → ".join(where[1:])
                message = f"{place}{' (' + detail + ')' if detail else ''}: {fault['msg']}"
                self.add_error(target, message)
            return cleaned
        return {"format": self.fmt.id, "payload": payload}


def notify_form(
    name: str,
    parties: tuple[list[tuple[str, str]], list[tuple[str, str]]],
    data: Any = None,
    initial: Any = None,
) -> NotifyForm | None:
    """The form of format ``name`` (None for an unknown one); ``parties`` are the other
    participating parties and all of them, each as (code, name)."""
    fmt = FORMATS.get(name)
    if fmt is None:
        return None
    return NotifyForm(fmt, *parties, data=data, initial=initial)


class SealForm(forms.Form):
    """A content sealed without sending it, for a national workflow that seals first and
    sends after a second person's review: the format and the payload as JSON."""

    format = forms.ChoiceField(label=_("Format"), choices=[])
    payload = JsonField(label=_("Content as JSON"), widget=forms.Textarea(attrs=LONG))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = forms.ChoiceField(choices=[(fmt.id, fmt.title) for fmt in FORMATS.values()])
        self.fields["format"].choices = choice.choices  # type: ignore[attr-defined]

    def clean_payload(self) -> dict[str, Any]:
        payload = self.cleaned_data.get("payload")
        if not isinstance(payload, dict):
            raise forms.ValidationError(_("The content is a JSON object of its format's fields."))
        return payload


class AcknowledgeForm(forms.Form):
    """Nothing to type: the notification is in the URL."""


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (code, word(code)) for code in ("satisfied", "meeting_held", "completed", "withdrawn")
        ],
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=20_000, widget=forms.Textarea(attrs=LONG)
    )


class MissedForm(forms.Form):
    party = forms.CharField(label=_("Party (code)"), max_length=32)
    what = forms.ChoiceField(
        label=_("Deadline missed"),
        choices=[(code, word(code)) for code in ("acknowledgement", "reply")],
    )

    def __init__(self, *args: Any, parties: list[tuple[str, str]] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if parties:
            self.fields["party"] = forms.ChoiceField(label=_("Party"), choices=parties)


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=_("Address of your national system (https)"),
        max_length=2000,
        required=False,
        help_text=_("Leave it empty to stop deliveries by webhook."),
    )


class ThresholdForm(forms.Form):
    """The forces of an activity and its start, for the threshold check (GET)."""

    troops = forms.IntegerField(label=LABELS["troops"], required=False, min_value=0)
    battle_tanks = forms.IntegerField(label=LABELS["battle_tanks"], required=False, min_value=0)
    acv = forms.IntegerField(label=LABELS["acv"], required=False, min_value=0)
    artillery = forms.IntegerField(label=LABELS["artillery"], required=False, min_value=0)
    air_sorties = forms.IntegerField(label=LABELS["air_sorties"], required=False, min_value=0)
    airborne_troops = forms.IntegerField(
        label=LABELS["airborne_troops"], required=False, min_value=0
    )
    amphibious_troops = forms.IntegerField(
        label=LABELS["amphibious_troops"], required=False, min_value=0
    )
    starts_on = DayField(label=LABELS["starts_on"], required=False)
