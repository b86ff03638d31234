"""The conference's codes as words in the reader's language, and times in an edition's zone.

The log says ``working_group``, ``head_of_government``, ``note_verbale``; a page says
"working group", "head of government", "note verbale". ``{{ code|word }}`` does it for every
code the conference's models list; ``{{ moment|local:zone }}`` writes a time in the
edition's time zone with the zone's name, ``{{ moment|utc }}`` the same time in UTC.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import template
from django.utils import dateformat, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from accord.ledger.names import language_name

register = template.Library()

WORDS = {
    "plenary": _("plenary"),
    "working_group": _("working group"),
    "informal": _("informal consultations"),
    "closed": _("closed meeting"),
    "verbatim": _("verbatim record"),
    "summary": _("summary record"),
    "communique": _("communiqué"),
    "none": _("no record"),
    "head_of_state": _("head of state"),
    "head_of_government": _("head of government"),
    "minister": _("minister"),
    "ambassador": _("ambassador"),
    "other": _("other"),
    "head": _("head of delegation"),
    "alternate": _("alternate"),
    "adviser": _("adviser"),
    "foreign_minister": _("minister for foreign affairs"),
    "formal": _("formal credentials"),
    "note_verbale": _("note verbale"),
    "cable": _("cable"),
    "point_of_order": _("point of order"),
    "statement": _("statement"),
    "reply": _("right of reply"),
    "chairs_summary": _("chair's summary"),
    "perception_paper": _("perception paper"),
    "recommendation": _("recommendation"),
    "commitment": _("commitment"),
    "open": _("open"),
    "in_progress": _("in progress"),
    "done": _("done"),
    "dropped": _("dropped"),
    "provisional": _("provisional"),
    "accepted": _("accepted"),
    "asked": _("before the meeting"),
    "adopted": _("adopted"),
    "not_adopted": _("not adopted"),
    "public": _("public"),
    "restricted": _("restricted"),
    "participating": _("participating party"),
    "invited": _("invited"),
    "observer": _("observer"),
    "partner": _("partner"),
}


@register.filter
def word(code: object) -> str:
    """``{{ meeting.format|word }}``: the code as a word, the code itself when unknown."""
    return str(WORDS.get(str(code), code))


def parse(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _written(moment: datetime, shown_zone: str) -> SafeString:
    # Translators: a Django date format; E is the month as it stands after a day.
    text = dateformat.format(moment, pgettext("local date format", "j E Y, H:i"))
    exact = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return format_html('<time datetime="{}">{} ({})</time>', exact, text, shown_zone)


@register.filter
def local(value: object, name: str) -> SafeString | str:
    """``{{ meeting.starts_at|local:edition.time_zone }}``: "30 October 2025, 10:00
    (Europe/Minsk)"."""
    moment = parse(value)
    if moment is None:
        return "" if value is None else str(value)
    return _written(moment.astimezone(zone(name)), name)


@register.filter
def utc(value: object) -> SafeString | str:
    moment = parse(value)
    if moment is None:
        return "" if value is None else str(value)
    return _written(moment.astimezone(UTC), "UTC")


@register.filter
def clock_time(value: object, name: str) -> str:
    """The hour alone in the zone, "10:00", for the day's programme."""
    moment = parse(value)
    return "" if moment is None else moment.astimezone(zone(name)).strftime("%H:%M")


@register.filter
def timestamp(value: object) -> int:
    """Seconds since the epoch, for the countdown script."""
    moment = parse(value)
    return 0 if moment is None else int(moment.timestamp())


@register.filter
def local_day(value: object, name: str) -> str:
    """The day (``YYYY-MM-DD``) a time falls on in the zone, for the journal of the day's URL."""
    moment = parse(value)
    return "" if moment is None else moment.astimezone(zone(name)).date().isoformat()


@register.filter
def interpretation(pairs: object) -> str:
    """Interpretation pairs as the reader's language names them: ``["en-ru"]`` → "English and
    Russian", "английский и русский" (to and from each other), one pair after another."""
    if not isinstance(pairs, list | tuple):
        return ""
    written = []
    for pair in pairs:
        source, _sep, target = str(pair).partition("-")
        written.append(
            pgettext("interpretation between two languages", "%(one)s and %(other)s")
            % {"one": _in_a_sentence(source), "other": _in_a_sentence(target)}
        )
    return "; ".join(written)


def _in_a_sentence(code: str) -> str:
    """A language's name inside a sentence: English capitalises it, Russian does not."""
    name = language_name(code)
    russian = (translation.get_language() or "").startswith("ru")
    return name[:1].lower() + name[1:] if russian and name != code else name
