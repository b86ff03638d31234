"""The CSBM codes as words in the reader's language: formats, states, payload fields, periods
and deadline badges.

The log says ``prior-notification``, ``reply_due``, ``battle_tanks`` and ``48 hours``; a
page says "Prior notification of a military activity", "reply due", "battle tanks" and
"48 hours" (or «48 часов»). Field labels are Accord's own, in both languages; the paragraph
of the Vienna Document 2011 each field comes from is read from the format's own field
description (``accord.csbm.formats``), so the page and the JSON Schema cite the same one.
"""

import re
from datetime import datetime
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext
from pydantic import BaseModel

from accord.csbm.formats import FORMATS
from accord.csbm.queries import hours_left
from accord.csbm.rules import Period
from accord.front.templatetags.reading import Names, day, moment, readable_party
from accord.lib import clock

register = template.Library()

WORDS = {
    # Case states (reference/csbm.md §8).
    "reply_due": _("reply due"),
    "replied": _("reply received"),
    "reply_overdue": _("reply overdue"),
    "bilateral_meeting_requested": _("meeting with the responding party requested"),
    "all_meeting_requested": _("meeting of all participating parties requested"),
    "accepted": _("accepted by the receiving party"),
    "declined": _("declined by the receiving party"),
    "reported": _("report sent"),
    "closed": _("conversation closed"),
    # Case kinds.
    "consultation": _("consultation on an unusual military activity"),
    "inspection": _("inspection of a specified area"),
    "evaluation": _("evaluation visit"),
    "incident": _("hazardous incident"),
    # Closing outcomes.
    "satisfied": _("explanation satisfactory"),
    "meeting_held": _("meeting held"),
    "completed": _("visit completed"),
    "withdrawn": _("request withdrawn"),
    # Types of military activity (VD2011 §38, §41).
    "land_exercise": _("land force exercise"),
    "amphibious_landing": _("amphibious landing"),
    "parachute_assault": _("parachute assault by airborne forces"),
    "transfer": _("transfer of forces"),
    "concentration": _("concentration of forces"),
    "alert_activity": _("alert activity"),
    # A general communication's category.
    "information": _("for information"),
    "invitation": _("an invitation"),
    "correction": _("a correction"),
    "other": _("other matters"),
    # A unit's level, an inspection's modes.
    "formation": _("formation level"),
    "unit": _("unit level"),
    "ground": _("on the ground"),
    "air": _("from the air"),
    # What a party missed.
    "acknowledgement": _("acknowledgement"),
    "reply": _("reply to the request"),
    "meeting_due": _("meeting to be held"),
    # A notification's distribution.
    "restricted": _("restricted"),
    "public": _("public"),
}

LABELS = {
    "supersedes": _("Corrects notification"),
    "designation": _("Name or designation"),
    "purpose": _("Purpose of the activity"),
    "kind": _("Type of activity"),
    "states_involved": _("States involved"),
    "command_level": _("Level of command"),
    "starts_on": _("Start date"),
    "ends_on": _("End date"),
    "forces": _("Forces involved at their peak"),
    "troops": _("Troops (personnel)"),
    "battle_tanks": _("Battle tanks"),
    "acv": _("Armoured combat vehicles"),
    "artillery": _("Artillery pieces"),
    "air_sorties": _("Aircraft sorties"),
    "airborne_troops": _("Airborne troops"),
    "amphibious_troops": _("Amphibious troops"),
    "divisions": _("Divisions taking part"),
    "brigades_regiments": _("Brigades or regiments outside divisions"),
    "helicopters": _("Helicopters taking part"),
    "area": _("Area of the activity"),
    "coordinates": _("Geographic coordinates"),
    "lat": _("Latitude (degrees)"),
    "lon": _("Longitude (degrees)"),
    "phases": _("Phases of the activity"),
    "description": _("Description given"),
    "observers_invited": _("Observers invited"),
    "voluntary": _("Notified voluntarily, below the thresholds"),
    "year": _("Year covered"),
    "nil_return": _("Nil return: no notifiable activity planned"),
    "activities": _("Planned activities"),
    "units": _("Formations and units"),
    "level": _("Level"),
    "subordination": _("Subordinate to"),
    "active": _("Active unit"),
    "location": _("Place or location"),
    "personnel": _("Peacetime authorised personnel"),
    "holdings": _("Major weapon and equipment holdings"),
    "attack_helicopters": _("Attack helicopters"),
    "combat_aircraft": _("Combat aircraft"),
    "atgm_launchers": _("Anti-tank guided missile launchers"),
    "avlb": _("Armoured vehicle-launched bridges"),
    "deployment_plans": _("Plans for the deployment of major weapon systems"),
    "requested_state": _("Party asked to explain"),
    "activity": _("The unusual activity"),
    "reasons": _("Reasons for the request"),
    "in_reply_to": _("In reply to notification"),
    "reply": _("The reply"),
    "proposed_place": _("Proposed place of the meeting"),
    "agenda": _("Proposed agenda of the meeting"),
    "addressees": _("Addressed to"),
    "occurred_at": _("Occurred at (UTC)"),
    "point_of_contact": _("Point of contact"),
    "receiving_state": _("Receiving party"),
    "specified_area": _("Specified area"),
    "point_of_entry": _("Point of entry"),
    "team_size": _("Members of the team"),
    "modes": _("Means of inspection"),
    "accepted": _("Request accepted"),
    "force_majeure": _("Declined for force majeure"),
    "reason": _("Explanation given"),
    "findings": _("Findings of the visit"),
    "unit": _("Unit to be visited"),
    "requested_on": _("Date requested for the visit"),
    "subject": _("Subject of the communication"),
    "text": _("Text of the communication"),
    "category": _("Category of the communication"),
    "dated": _("Dated"),
    "unit_count": _("Formations and units reported"),
}
PARTY_FIELDS = frozenset({"states_involved", "addressees", "requested_state", "receiving_state"})
"""Payload fields that hold party codes: pages print the parties' names."""
_PARAGRAPH = re.compile(r"((?:VD2011 |Ch\. [IVX]+ )?§[0-9][0-9.–§, ]*[0-9])")


@register.filter
def word(code: object) -> str:
    """``{{ case.state|word }}``: the code as a word, the code itself when unknown."""
    return str(WORDS.get(str(code), code))


@register.filter
def chapter(text: object) -> str:
    """A format's chapter of the Vienna Document 2011 ("Chapter V (§38–§46)") in the reader's
    language."""
    return str(text).replace("Chapter", pgettext("provision", "Chapter"))


@register.filter
def format_title(name: object) -> str:
    """``{{ notification.format|format_title }}``: the message type's title."""
    fmt = FORMATS.get(str(name))
    return str(fmt.title) if fmt is not None else str(name)


def label(name: str) -> str:
    return str(LABELS.get(name, name.replace("_", " ")))


def paragraph(description: str | None) -> str:
    """The paragraph a field's description cites ("VD2011 §41.1", "§42.1.3"), or ""."""
    found = _PARAGRAPH.search(description or "")
    return found.group(1).strip() if found else ""


@register.filter
def period(value: Period) -> str:
    """A profile's time allowed in words: "48 hours", "2 working days"."""
    amount = value.amount
    if value.unit == "hours":
        return ngettext("%(count)d hour", "%(count)d hours", amount) % {"count": amount}
    if value.unit == "calendar_days":
        return ngettext("%(count)d calendar day", "%(count)d calendar days", amount) % {
            "count": amount
        }
    return ngettext("%(count)d working day", "%(count)d working days", amount) % {"count": amount}


# -- a content, field by field --------------------------------------------------------------------


def _value(  # noqa: PLR0911 -- one answer per kind of value
    name: str, value: Any, names: Names | None
) -> SafeString | str:
    if isinstance(value, bool):
        return "✓" if value else "—"
    if name in PARTY_FIELDS:
        codes = [value] if isinstance(value, str) else list(value)
        return ", ".join(readable_party(code, names) for code in codes)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ", ".join(word(item) for item in value)
    if name == "occurred_at":
        return moment(value)
    if name in {"starts_on", "ends_on", "dated", "requested_on"}:
        return day(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")
    return word(value) if name in {"kind", "category", "level"} else str(value)


def _fields(
    model: type[BaseModel], data: dict[str, Any], names: Names | None
) -> list[tuple[str, str, Any]]:
    rows: list[tuple[str, str, Any]] = []
    for name, info in model.model_fields.items():
        if name not in data or data[name] in (None, "", []):
            continue
        value, ref = data[name], paragraph(info.description)
        nested = _nested(info.annotation)
        if nested is not None and isinstance(value, dict):
            rows.append((label(name), ref, _block(nested, value, names)))
        elif nested is not None and isinstance(value, list):
            items = format_html_join(
                "", "<li>{}</li>", ((_block(nested, item, names),) for item in value)
            )
            rows.append((label(name), ref, format_html('<ol class="items">{}</ol>', items)))
        else:
            rows.append((label(name), ref, _value(name, value, names)))
    return rows


def _nested(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, alone or in a list."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        if isinstance(argument, type) and issubclass(argument, BaseModel):
            return argument
    return None


def _block(model: type[BaseModel], data: dict[str, Any], names: Names | None) -> SafeString:
    rows = _fields(model, data, names)
    return format_html(
        '<dl class="content">{}</dl>',
        format_html_join(
            "",
            "<dt>{}{}</dt><dd>{}</dd>",
            (
                (name, format_html(' <span class="ref">{}</span>', ref) if ref else "", value)
                for name, ref, value in rows
            ),
        ),
    )


@register.simple_tag
def content(fmt_name: str, payload: dict[str, Any] | None, names: Names | None) -> SafeString:
    """``{% content notification.format payload parties %}``: the content field by field, each
    with its label and its paragraph; every value escaped."""
    fmt = FORMATS.get(fmt_name)
    if fmt is None or payload is None:
        return mark_safe("")
    return _block(fmt.model, payload, names)


# -- deadlines ------------------------------------------------------------------------------------


@register.simple_tag
def ack_badge(delivery: Any, now: datetime) -> SafeString:
    """``{% ack_badge delivery now %}``: where one recipient's acknowledgement stands, as a
    badge: due in so many hours, overdue, or given on time or late."""
    if delivery.ack_entry is not None:
        late = delivery.ack_on_time is False
        given = _("acknowledged late") if late else _("acknowledged on time")
        return format_html('<span class="status {}">{}</span>', "late" if late else "done", given)
    left = hours_left(delivery.ack_due, now)
    if left <= 0:
        return format_html('<span class="status overdue">{}</span>', _("acknowledgement overdue"))
    text = ngettext(
        "acknowledgement due in %(count)d hour", "acknowledgement due in %(count)d hours", left
    ) % {"count": left}
    return format_html('<span class="status due">{}</span>', text)


@register.filter
def party_list(codes: Any, names: Names | None) -> str:
    """``{{ notification.recipients|party_list:parties }}``: names, comma-separated."""
    return ", ".join(readable_party(str(code), names) for code in codes or [])


@register.filter
def lower_first(text: object) -> str:
    """A title inside a sentence: "Prior notification" → "prior notification"."""
    value = str(text)
    return value[:1].lower() + value[1:]


@register.simple_tag
def this_year() -> int:
    """The log's current year, for the link to this year's compliance report."""
    return clock.now().year


@register.filter
def field_label(name: object) -> str:
    """``{{ name|field_label }}``: a payload field's label."""
    return label(str(name))


@register.simple_tag
def fact(name: str, value: Any, names: Names | None) -> SafeString | str:
    """``{% fact name value parties %}``: one public fact, as a reader reads it."""
    return _value(name, value, names)
