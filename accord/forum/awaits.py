"""What awaits a signed-in person: the acts the forum now expects of them, for the home page.

Each item is read from the projections and offered only when the rules profile
in force grants the act to the person now (``permits``), so the home page never
points someone at a form that would refuse them. Costs a handful of queries
(one per kind of item), none per party.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.forum import acts, queries
from accord.forum.acts import permits
from accord.people.models import Person


@dataclass(frozen=True)
class Awaiting:
    """One thing that awaits the person: a sentence, and the page where they act on it."""

    sentence: str
    url: str


def _invitations(person: Person, party: str, secretariat: str) -> list[Awaiting]:
    if not permits(person.party, person.handle, acts.ANSWER, secretariat):
        return []
    return [
        Awaiting(
            _("%(party)s has an invitation to answer.") % {"party": party},
            reverse("forum-invitation", args=[invitation.entry_index]),
        )
        for invitation in queries.open_invitations(person.party)
    ]


def _proposal(person: Person, party: str, secretariat: str) -> list[Awaiting]:
    proposal = queries.open_proposal()
    if proposal is None:
        return []
    found: list[Awaiting] = []
    entry = proposal.entry_index
    agreeing = permits(person.party, person.handle, acts.AGREE, secretariat)
    if agreeing and person.party not in proposal.agreed_by:
        found.append(
            Awaiting(
                _("A rules proposal (entry %(entry)s) awaits the agreement of %(party)s.")
                % {"entry": entry, "party": party},
                reverse("forum-profile-agree", args=[entry]),
            )
        )
    if permits(person.party, person.handle, acts.ADOPT, secretariat):
        found.append(
            Awaiting(
                _("As chair, %(party)s may declare the rules proposal of entry %(entry)s adopted.")
                % {"entry": entry, "party": party},
                reverse("forum-profile-adopt", args=[entry]),
            )
        )
    return found


def _not_accredited(person: Person, party: str) -> list[Awaiting]:
    """People the secretariat added and not accredited yet, for those entitled to see them."""
    waiting = queries.awaiting_accreditation(person)
    if not waiting:
        return []
    count = len(waiting)
    if person.party == queries.secretariat():
        told = ngettext(
            "%(count)s person the secretariat added is not accredited yet.",
            "%(count)s people the secretariat added are not accredited yet.",
            count,
        ) % {"count": count}
    else:
        told = ngettext(
            "%(count)s person the secretariat added for %(party)s is not accredited yet.",
            "%(count)s people the secretariat added for %(party)s are not accredited yet.",
            count,
        ) % {"count": count, "party": party}
    return [Awaiting(told, reverse("forum-people"))]


def awaiting(person: Person | None) -> list[Awaiting]:
    """What awaits ``person`` now, in the active language; empty for a visitor, for someone
    not accredited, and for anyone the forum expects nothing of."""
    secretariat = queries.secretariat()
    if person is None or secretariat is None:
        return []
    found = queries.party(person.party)
    party = found.name if found is not None else person.party
    return [
        *_invitations(person, party, secretariat),
        *_proposal(person, party, secretariat),
        *_not_accredited(person, party),
    ]
