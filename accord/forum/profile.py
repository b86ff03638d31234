"""The rules profile: which role of a party in which standing may make which kind of statement.

The profile is data in the log (DESIGN.md §1, idea 3): founded with the forum
and changed only by ``forum.profile.adopted`` under the forum's decision rule.
A *standing* is a party status, or ``chair``, ``initiator`` (a founding party)
or ``secretariat``; a *role* is the person's role in their delegation, or
``party`` when the statement names no person (a national system signing with
the party's own key). A grant ``"participating:head"`` lets a participating
party's head of delegation make the kind. Kinds the profile does not name are
refused once the forum exists, so a later app's kinds need a profile that
grants them.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from accord.forum.models import ROLES, STATUSES

STANDINGS = (*STATUSES, "chair", "initiator", "secretariat")
ACTING_ROLES = (*ROLES, "party")


class SilenceBounds(BaseModel):
    """How short and how long a silence procedure may be, in hours."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    min_hours: int = Field(ge=1, le=24 * 365)
    max_hours: int = Field(ge=1, le=24 * 365)


class Profile(BaseModel):
    """A version of the rules of procedure, as it is written into the log."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    version: int = Field(ge=1)
    may: dict[str, list[str]]
    silence: SilenceBounds
    sections: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @field_validator("may")
    @classmethod
    def _grants_are_known(cls, may: dict[str, list[str]]) -> dict[str, list[str]]:
        for kind, grants in may.items():
            for grant in grants:
                standing, _, role = grant.partition(":")
                if standing not in STANDINGS or role not in ACTING_ROLES:
                    raise ValueError(
                        f"{kind}: {grant!r} is not standing:role "
                        f"(standings {', '.join(STANDINGS)}; roles {', '.join(ACTING_ROLES)})"
                    )
        return may

    def allows(self, kind: str, standings: set[str], role: str) -> bool:
        """Whether a party holding ``standings`` may, through ``role``, make ``kind``."""
        return any(f"{standing}:{role}" in self.may.get(kind, ()) for standing in standings)


def _grant(standings: tuple[str, ...], roles: tuple[str, ...]) -> list[str]:
    return [f"{standing}:{role}" for standing in standings for role in roles]


_SIGNERS = ("head", "party")
_SPEAKERS = ("head", "delegate", "party")
_MEMBERS = ("participating", "observer", "partner")
_IN_TOUCH = ("invited", "interested", *_MEMBERS)
_SECRETARIAT = _grant(("secretariat",), ("staff", "party"))

STANDARD_MAY: dict[str, list[str]] = {
    "forum.invitation.sent": _grant(("initiator", "chair"), _SIGNERS),
    "forum.invitation.answered": _grant(("invited", "interested"), _SPEAKERS),
    "forum.party.joined": _grant(("initiator",), _SIGNERS),
    "forum.party.left": _grant(_MEMBERS, _SIGNERS),
    "forum.chair.handed_over": _grant(("chair",), _SIGNERS),
    "forum.person.added": _SECRETARIAT,
    "forum.person.accredited": _grant(_IN_TOUCH, _SIGNERS) + _SECRETARIAT,
    "forum.person.withdrawn": _grant(_IN_TOUCH, _SIGNERS) + _SECRETARIAT,
    "forum.profile.proposed": _grant(("chair",), _SIGNERS),
    "forum.profile.agreed": _grant(("participating",), _SIGNERS),
    "forum.profile.adopted": _grant(("chair",), _SIGNERS),
    "ledger.party.registered": _SECRETARIAT,
    "ledger.key.added": _grant(_IN_TOUCH, _SIGNERS) + _SECRETARIAT,
    "ledger.key.rotated": _grant(_IN_TOUCH, _SIGNERS) + _SECRETARIAT,
    "ledger.key.revoked": _grant(_IN_TOUCH, _SIGNERS) + _SECRETARIAT,
    "ledger.communique.published": _grant(_MEMBERS, _SPEAKERS) + _SECRETARIAT,
}


def standard(**changes: Any) -> Profile:
    """Accord's standard profile (version 1), with top-level fields replaced by ``changes``."""
    fields: dict[str, Any] = {
        "version": 1,
        "may": STANDARD_MAY,
        "silence": SilenceBounds(min_hours=24, max_hours=24 * 30),
        "sections": {},
    }
    fields.update(changes)
    return Profile(**fields)
