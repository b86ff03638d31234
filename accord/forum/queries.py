"""Reads of the forum's projections, each with its cost in its docstring."""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from accord.forum.models import (
    ROLES,
    STATUSES,
    Accreditation,
    Forum,
    ForumDescription,
    ForumParty,
    Invitation,
    ProfileProposal,
    RulesProfile,
    StatusChange,
)
from accord.forum.profile import Profile, parsed
from accord.ledger.models import Entry, LogState, PartyKey
from accord.people.models import Person

DEMO_ORIGIN = "demo.accord.invalid/eurasia"
"""The demo log's origin: the log itself says it is a demo (``accord demo`` builds it)."""


def is_demo() -> bool:
    """Whether this log is the demo's; one query. Pages say so, and sign-in skips TOTP: the
    log decides, not a setting, so no production forum can be switched into demo mode."""
    return LogState.objects.filter(pk=1, origin=DEMO_ORIGIN).exists()


def secretariat() -> str | None:
    """The secretariat's party code; one query."""
    return LogState.objects.values_list("secretariat", flat=True).first()


def forum() -> Forum | None:
    """The forum, or None before founding; one query."""
    return Forum.objects.first()


def party_summary(party: ForumParty) -> dict[str, Any]:
    return {
        "code": party.code,
        "name": party.name,
        "category": party.category,
        "status": party.status,
        "founding": party.founding,
        "since": party.since,
    }


def summary() -> dict[str, Any] | None:
    """The forum as the API and ``accord forum show`` print it; two queries."""
    row = forum()
    if row is None:
        return None
    return {
        "name": row.name,
        "languages": row.languages,
        "symbol_prefix": row.symbol_prefix,
        "decision_rule": row.decision_rule,
        "chair": row.chair,
        "profile_version": row.profile_version,
        "parties": [
            party_summary(party) for group in parties_by_status().values() for party in group
        ],
    }


def parties_by_status() -> dict[str, list[ForumParty]]:
    """Every party grouped by status, in the order of ``STATUSES``; one query."""
    grouped: dict[str, list[ForumParty]] = {status: [] for status in STATUSES}
    for party in ForumParty.objects.order_by("name"):
        grouped[party.status].append(party)
    return {status: parties for status, parties in grouped.items() if parties}


def party(code: str) -> ForumParty | None:
    """One query."""
    return ForumParty.objects.filter(code=code).first()


def status_history(code: str) -> list[StatusChange]:
    """One query."""
    return list(StatusChange.objects.filter(party=code).order_by("entry_index"))


def keys(code: str) -> list[PartyKey]:
    """The party's keys, current and revoked, newest first; one query."""
    return list(PartyKey.objects.filter(party=code).order_by("-added_at"))


def delegation(code: str, *, current: bool = True) -> list[Accreditation]:
    """The party's accreditations (only those in force unless ``current`` is false), head of
    delegation first, then delegates, advisers and staff; one query."""
    rows = Accreditation.objects.filter(party=code)
    if current:
        rows = rows.filter(withdrawn_at__isnull=True)
    return sorted(rows, key=lambda row: (ROLES.index(row.role), row.handle))


def awaiting_accreditation(viewer: Person) -> list[Person] | None:
    """People the secretariat added and their party has not accredited yet, with the name and
    address their sign-in link went to, as ``viewer`` may see them: every party's for
    secretariat staff, their own party's for a head of delegation, None for anyone else
    (delegates, advisers, other parties, accounts not accredited). Judged by the log's
    accreditations now, not by ``Person.role``; three queries."""
    accredited = accreditation(viewer.handle)
    if accredited is None or accredited.role not in SECOND_FACTOR_ROLES:
        return None
    rows = Person.objects.exclude(handle__in=Accreditation.objects.values("handle"))
    if accredited.role == "staff":
        if accredited.party != secretariat():
            return None
    else:
        rows = rows.filter(party=accredited.party)
    return list(rows.order_by("party", "handle"))


def accounts() -> list[Person]:
    """Every person's account, for secretariat staff; one query."""
    return list(Person.objects.select_related("user").order_by("party", "handle"))


def accreditations(code: str | None = None) -> list[Accreditation]:
    """Accreditations in force, of one party or all; one query."""
    rows = Accreditation.objects.filter(withdrawn_at__isnull=True)
    if code is not None:
        rows = rows.filter(party=code)
    return list(rows.order_by("party", "role", "handle"))


def invitations(code: str | None = None) -> list[Invitation]:
    """Invitations, newest first, to one party or all; one query."""
    rows = Invitation.objects.all()
    if code is not None:
        rows = rows.filter(party=code)
    return list(rows.order_by("-entry_index"))


def invitation(entry: int) -> Invitation | None:
    return Invitation.objects.filter(entry_index=entry).first()


def profile() -> tuple[int, Profile] | None:
    """The rules profile in force and its version; one query."""
    row = RulesProfile.objects.order_by("-version").first()
    if row is None:
        return None
    return row.version, parsed(row.profile)


def is_staff(handle: str) -> bool:
    """Whether the handle is secretariat staff in the log now (not merely in ``Person``)."""
    found = accreditation(handle)
    return found is not None and found.role == "staff" and found.party == secretariat()


SECOND_FACTOR_ROLES = ("head", "staff")
"""Roles that must pass a TOTP check before anything is signed for them."""


def second_factor_required(handle: str, added_role: str) -> bool:
    """Whether the person must pass TOTP before acting: by their role as accredited in the
    log (else ``added_role``, as the secretariat added them), and never in the demo; two
    queries."""
    accredited = accreditation(handle)
    role = accredited.role if accredited is not None else added_role
    return role in SECOND_FACTOR_ROLES and not is_demo()


def accreditation(handle: str) -> Accreditation | None:
    """The person's accreditation in force, if any; one query."""
    return Accreditation.objects.filter(handle=handle, withdrawn_at__isnull=True).first()


@dataclass(frozen=True)
class MembershipPoint:
    """The number of parties in each status just after one status change."""

    logged_at: str
    counts: dict[str, int]


def membership_over_time() -> list[MembershipPoint]:
    """The membership chart's data: one point per entry that changed a status; one query."""
    current: dict[str, str] = {}
    points: list[MembershipPoint] = []
    for change in StatusChange.objects.order_by("entry_index", "party"):
        current[change.party] = change.status
        counts = Counter(current.values())
        point = MembershipPoint(change.logged_at, {s: counts.get(s, 0) for s in STATUSES})
        if points and points[-1].logged_at == change.logged_at:
            points[-1] = point
        else:
            points.append(point)
    return points


def recent_acts(limit: int = 12) -> list[Entry]:
    """The newest entries of the log; one query."""
    return list(Entry.objects.order_by("-index")[:limit])


def description(language: str) -> ForumDescription | None:
    """The forum's name and purpose in ``language`` (``ru``, or ``ru-ru`` read as ``ru``), else
    in its first official language, else None before it is described; one or two queries.
    A page shows the founding name when the row's language is not the reader's."""
    rows = ForumDescription.objects.all()
    found = rows.filter(language__in=[language, language.split("-", 1)[0]]).first()
    if found is not None:
        return found
    forum = Forum.objects.first()
    if forum is None or not forum.languages:
        return None
    return rows.filter(language=forum.languages[0]).first()


def open_proposal() -> ProfileProposal | None:
    """The rules proposal that may still be agreed to and adopted (the next version), if any;
    two queries."""
    forum = Forum.objects.first()
    if forum is None:
        return None
    return (
        ProfileProposal.objects.filter(version=forum.profile_version + 1, adopted_at__isnull=True)
        .order_by("-entry_index")
        .first()
    )


def open_invitations(code: str) -> list[Invitation]:
    """The party's invitations that it may still answer, newest first; one query."""
    rows = Invitation.objects.filter(party=code, answer__in=("", "interested"))
    return list(rows.order_by("-entry_index"))
