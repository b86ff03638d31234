"""The rules profile in force, read as rules: one sentence per grant, grouped by app.

The profile's ``may`` table is what admission judges by; a delegate reads "A head
of delegation of a participating party may invite a state or an organisation".
Each sentence joins three translated parts (who, of which standing, may do what),
so Russian reads in its own word order. Open proposals for the next profile are
listed with them, as the page invites those permitted to agree or adopt.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accord.forum.models import ProfileProposal
from accord.forum.profile import Profile

WHO: dict[str, str | Promise] = {
    "head": _("A head of delegation of %(standing)s may %(act)s"),
    "delegate": _("A delegate of %(standing)s may %(act)s"),
    "adviser": _("An adviser of %(standing)s may %(act)s"),
    "staff": _("Staff of %(standing)s may %(act)s"),
    "party": _("The key of %(standing)s, with no person named, may %(act)s"),
}
OF_STANDING: dict[str, str | Promise] = {
    "invited": pgettext_lazy("of a standing", "an invited party"),
    "interested": pgettext_lazy("of a standing", "an interested party"),
    "participating": pgettext_lazy("of a standing", "a participating party"),
    "observer": pgettext_lazy("of a standing", "an observer"),
    "partner": pgettext_lazy("of a standing", "a partner"),
    "declined": pgettext_lazy("of a standing", "a party that declined"),
    "left": pgettext_lazy("of a standing", "a party that left"),
    "chair": pgettext_lazy("of a standing", "the chair"),
    "initiator": pgettext_lazy("of a standing", "an initiating party"),
    "secretariat": pgettext_lazy("of a standing", "the secretariat"),
}
MAY: dict[str, str | Promise] = {
    "forum.party.joined": _("join the forum"),
    "forum.invitation.sent": _("invite a state or an organisation"),
    "forum.invitation.answered": _("answer its invitation"),
    "forum.party.left": _("leave the forum"),
    "forum.chair.handed_over": _("hand over the chair"),
    "forum.person.added": _("add a person"),
    "forum.person.accredited": _("accredit a person"),
    "forum.person.withdrawn": _("withdraw a person's accreditation"),
    "forum.profile.proposed": _("propose a new rules profile"),
    "forum.profile.agreed": _("agree to a rules proposal"),
    "forum.profile.adopted": _("declare a rules proposal adopted"),
}
APPS: dict[str, str | Promise] = {
    "forum": _("The forum"),
    "ledger": _("The log"),
    "charter": _("The charter"),
    "csbm": _("Confidence- and security-building measures"),
    "dialogue": _("Meetings"),
}


@dataclass(frozen=True)
class Chapter:
    """One app's rules: its heading and the sentences of its grants, in profile order."""

    app: str
    heading: str
    rules: list[tuple[str, str]]
    """(kind, sentence) pairs; the kind goes in the sentence's tooltip."""


def rule(kind: str, grant: str) -> str:
    """``participating:head`` for ``kind`` as a sentence in the active language."""
    standing, _sep, role = grant.partition(":")
    act = MAY.get(kind) or gettext("make a statement of the kind %(kind)s") % {"kind": kind}
    who = WHO.get(role) or gettext("%(role)s of %(standing)s may %(act)s")
    return str(who) % {
        "standing": str(OF_STANDING.get(standing, standing)),
        "act": str(act),
        "role": role,
    }


def chapters(profile: Profile) -> list[Chapter]:
    """Every grant of ``profile`` as a rule, grouped by the app that owns the kind. No query."""
    by_app: dict[str, list[tuple[str, str]]] = {}
    for kind, grants in sorted(profile.may.items()):
        app = kind.partition(".")[0]
        by_app.setdefault(app, []).extend((kind, rule(kind, grant)) for grant in grants)
    return [Chapter(app, str(APPS.get(app, app)), rules) for app, rules in by_app.items()]


def open_proposals() -> list[ProfileProposal]:
    """Proposals for the next profile not yet adopted, oldest first; one query."""
    return list(ProfileProposal.objects.filter(adopted_at__isnull=True).order_by("entry_index"))
