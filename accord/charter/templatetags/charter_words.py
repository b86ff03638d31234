"""The charter's words on its pages, in the reader's language: provisions as a reader names
them ("Статья 5"), stances, statuses, what an amendment does, and word diffs as markup.

The log and the text model speak in codes (``article``, ``under_silence``, ``object``);
these filters print the word and leave the code to the tooltip or the log. No query.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from accord.charter.acts import ACTIONS, OUTCOMES, STANCES
from accord.charter.text import Provision
from accord.ledger.names import language_name

register = template.Library()

ELEMENTS = {
    "recital": pgettext_lazy("provision", "Recital"),
    "part": pgettext_lazy("provision", "Part"),
    "title": pgettext_lazy("provision", "Title"),
    "chapter": pgettext_lazy("provision", "Chapter"),
    "subchapter": pgettext_lazy("provision", "Subchapter"),
    "section": pgettext_lazy("provision", "Section"),
    "subsection": pgettext_lazy("provision", "Subsection"),
    "article": pgettext_lazy("provision", "Article"),
    "paragraph": pgettext_lazy("provision", "Paragraph"),
    "subparagraph": pgettext_lazy("provision", "Subparagraph"),
    "point": pgettext_lazy("provision", "Point"),
    "indent": pgettext_lazy("provision", "Indent"),
    "clause": pgettext_lazy("provision", "Clause"),
    "attachment": pgettext_lazy("provision", "Attachment"),
}
STATUSES = {
    "draft": pgettext_lazy("document status", "draft"),
    "under_silence": pgettext_lazy("document status", "under silence"),
    "adopted": pgettext_lazy("document status", "adopted"),
    "superseded": pgettext_lazy("document status", "superseded"),
}
AMENDMENT_STATUSES = {
    "open": pgettext_lazy("amendment status", "open"),
    "withdrawn": pgettext_lazy("amendment status", "withdrawn"),
    "incorporated": pgettext_lazy("amendment status", "incorporated"),
    "dropped": pgettext_lazy("amendment status", "dropped"),
}
PROCEDURE_STATUSES = {
    "open": pgettext_lazy("silence status", "silence holds"),
    **OUTCOMES,
}
VERSIONS = {
    "original": pgettext_lazy("translation status", "original"),
    "current": pgettext_lazy("translation status", "current"),
    "outdated": pgettext_lazy("translation status", "outdated"),
    "missing": pgettext_lazy("translation status", "missing"),
}
NO_STANCE = _("no position")


@register.filter
def language(code: str) -> str:
    """A language code as its name in the reader's language: ``ru`` → "Russian", "Русский"."""
    return language_name(code)


@register.filter
def label(provision: Provision) -> str:
    """``{{ provision|label }}``: "Article 5", "Recital 2", in the reader's language."""
    word = str(ELEMENTS.get(provision.element, provision.element.capitalize()))
    number = provision.num.strip(".()") or provision.eid.rsplit("_", 1)[-1]
    return f"{word} {number}"


@register.filter
def stance(value: str) -> str:
    """``{{ position.stance|stance }}``: "can accept"; "no position" for none."""
    return str(STANCES.get(value, value or NO_STANCE))


@register.filter
def status(value: str) -> str:
    """``{{ document.status|status }}``: the document's status as a word."""
    return str(STATUSES.get(value, value))


@register.filter
def amendment_status(value: str) -> str:
    return str(AMENDMENT_STATUSES.get(value, value))


@register.filter
def procedure_status(value: str) -> str:
    return str(PROCEDURE_STATUSES.get(value, value))


@register.filter
def action(value: str) -> str:
    """``{{ amendment.action|action }}``: what the amendment does to its provision."""
    return str(ACTIONS.get(value, value))


@register.filter
def version(value: str) -> str:
    """``{{ version.status|version }}``: original, current, outdated or missing."""
    return str(VERSIONS.get(value, value))


@register.filter
def diffed(runs: Iterable[tuple[str, str]]) -> SafeString:
    """``{{ runs|diffed }}``: a word diff as text with ``<del>`` and ``<ins>``, escaped."""
    tags = {"insert": "ins", "delete": "del"}
    return format_html_join(
        "",
        "{}",
        (
            (format_html("<{0}>{1}</{0}>", tags[op], text) if op in tags else text,)
            for op, text in runs
        ),
    )


def remaining(until: datetime, now: datetime) -> str:
    """How long silence still holds, as people say it: "ends in 2 days 3 hours"; "has ended"
    once the deadline is past."""
    left = until - now
    if left <= timedelta(0):
        return str(_("the deadline has passed"))
    days, seconds = left.days, left.seconds
    hours, minutes = seconds // 3600, (seconds % 3600) // 60
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours or days:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if not days:
        parts.append(
            ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        )
    return str(_("ends in %(left)s")) % {"left": " ".join(parts)}
