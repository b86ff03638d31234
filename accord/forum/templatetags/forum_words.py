"""The forum's words (statuses, roles, answers) in the reader's language."""

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

register = template.Library()

WORDS = {
    "invited": pgettext_lazy("party status", "invited"),
    "interested": pgettext_lazy("party status", "interested"),
    "participating": pgettext_lazy("party status", "participating"),
    "observer": pgettext_lazy("party status", "observer"),
    "partner": pgettext_lazy("party status", "partner"),
    "declined": pgettext_lazy("party status", "declined"),
    "left": pgettext_lazy("party status", "left"),
    "accepted": pgettext_lazy("answer", "accepted"),
    "chair": pgettext_lazy("standing", "chair"),
    "initiator": pgettext_lazy("standing", "initiator"),
    "secretariat": pgettext_lazy("standing", "secretariat"),
    "consensus": pgettext_lazy("decision rule", "consensus"),
    "majority": pgettext_lazy("decision rule", "majority"),
    "head": _("head of delegation"),
    "delegate": _("delegate"),
    "adviser": _("adviser"),
    "staff": _("secretariat staff"),
    "party": _("the party itself"),
    "hosted": _("kept by this host"),
    "own": _("the party's own"),
    "state": _("state"),
    "organisation": _("organisation"),
}


CAPACITIES = {
    "participating": pgettext_lazy("capacity", "a participating party"),
    "observer": pgettext_lazy("capacity", "an observer"),
    "partner": pgettext_lazy("capacity", "a partner"),
}


GROUPS = {
    "invited": pgettext_lazy("parties of a status", "Invited"),
    "interested": pgettext_lazy("parties of a status", "Interested"),
    "participating": pgettext_lazy("parties of a status", "Participating"),
    "observer": pgettext_lazy("parties of a status", "Observers"),
    "partner": pgettext_lazy("parties of a status", "Partners"),
    "declined": pgettext_lazy("parties of a status", "Declined"),
    "left": pgettext_lazy("parties of a status", "Left the forum"),
}
"""A status as the heading over the parties that hold it: "Приглашены", not "Приглашена"."""


@register.filter
def group(value: str) -> str:
    """``{{ status|group }}``: the heading for the parties of that status."""
    return str(GROUPS.get(value, value))


@register.filter
def capacity(value: str) -> str:
    """``{{ invitation.capacity|capacity }}``: "as …" in the reader's language."""
    return str(CAPACITIES.get(value, value))


@register.filter
def word(value: str) -> str:
    """``{{ party.status|word }}``: the translated word, or the value as it is."""
    return str(WORDS.get(value, value))
