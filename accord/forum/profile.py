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

import json
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from accord.forum.models import ROLES, STATUSES
from accord.ledger.acts import default_grants

STANDINGS = (*STATUSES, "chair", "initiator", "secretariat")
ACTING_ROLES = (*ROLES, "party")


class SilenceBounds(BaseModel):
    """How short and how long a silence procedure may be, in hours."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    min_hours: int = Field(ge=1, le=24 * 365)
    max_hours: int = Field(ge=1, le=24 * 365)


SECTIONS: dict[str, type[BaseModel]] = {}
"""Each app's own rules (``sections[name]``), as a typed model with defaults; filled when
the apps load (the charter registers ``charter``)."""


def register_section(name: str, model: type[BaseModel]) -> None:
    """Register an app's profile section: a new forum's standard profile writes its
    defaults, and every profile (proposed, founded or replayed) is checked against it."""
    if name in SECTIONS:
        raise RuntimeError(f"the profile section {name} is registered twice")
    SECTIONS[name] = model


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

    @field_validator("sections")
    @classmethod
    def _sections_fit(cls, sections: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        for name, section in sections.items():
            model = SECTIONS.get(name)
            if model is not None:
                model.model_validate(section)
        return sections

    def allows(self, kind: str, standings: set[str], role: str) -> bool:
        """Whether a party holding ``standings`` may, through ``role``, make ``kind``."""
        return any(f"{standing}:{role}" in self.may.get(kind, ()) for standing in standings)


_SECRETARIAT = ["secretariat:staff", "secretariat:party"]
_IN_TOUCH = ("invited", "interested", "participating", "observer", "partner")
_SIGNERS = ("head", "party")

BEYOND_ACTS: dict[str, list[str]] = {
    "ledger.party.registered": _SECRETARIAT,
    "ledger.key.added": [f"{s}:{r}" for s in _IN_TOUCH for r in _SIGNERS] + _SECRETARIAT,
    "ledger.key.rotated": [f"{s}:{r}" for s in _IN_TOUCH for r in _SIGNERS] + _SECRETARIAT,
    "ledger.key.revoked": [f"{s}:{r}" for s in _IN_TOUCH for r in _SIGNERS] + _SECRETARIAT,
    "ledger.communique.published": [
        f"{s}:{r}" for s in _IN_TOUCH[2:] for r in ("head", "delegate", "party")
    ]
    + _SECRETARIAT,
}
"""Grants for the ledger's kinds, which no act declares: the ledger knows no standings."""


def standard_may() -> dict[str, list[str]]:
    """A new forum's grants: every declared act's defaults (``accord.ledger.acts``), then
    the ledger's kinds. Read when a forum is founded, never on replay: the founding
    statement carries the result, and a forum that exists changes it by amendment."""
    return {**default_grants(), **BEYOND_ACTS}


def standard(**changes: Any) -> Profile:
    """Accord's standard profile (version 1), with top-level fields replaced by ``changes``."""
    fields: dict[str, Any] = {
        "version": 1,
        "may": standard_may(),
        "silence": SilenceBounds(min_hours=24, max_hours=24 * 30),
        "sections": {name: model().model_dump(mode="json") for name, model in SECTIONS.items()},
    }
    fields.update(changes)
    return Profile(**fields)


@lru_cache(maxsize=16)
def _parsed(text: str) -> Profile:
    return Profile.model_validate(json.loads(text))


def parsed(profile: str | dict[str, Any]) -> Profile:
    """A profile as the database holds it (JSON text on SQLite, a dict on PostgreSQL),
    validated once per distinct content: every statement's admission reads the profile in
    force, and validating it (every grant, every app's section) cost more than the rest of
    the rule. Keyed by the content itself, never by version, so two forums (or two test
    databases) with the same version number cannot share a stale profile; a ``Profile`` is
    frozen, so sharing one is safe."""
    text = profile if isinstance(profile, str) else json.dumps(profile, sort_keys=True)
    return _parsed(text)
