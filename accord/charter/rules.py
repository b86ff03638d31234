"""The charter's rules in the forum's profile: its own typed section, and the silence bounds.

The profile (``accord.forum.profile``) holds a ``sections`` table for apps' own
rules; the charter's is ``sections["charter"]``, registered when the app loads
(``accord.forum.profile.register_section``): Accord's standard profile writes
its defaults into every new forum, so the log, not the code, says what applies,
and every profile proposed is checked against it. A forum founded before the
charter, whose profile has no such section, uses the same defaults until it
adopts an amendment that writes one.
"""

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field

from accord.forum import queries as forum_queries

SECTION = "charter"


class CharterRules(BaseModel):
    """How long after an adoption a party that joined it may attach an interpretative
    statement (OSCE RoP IV.1(A)6 practice: with the decision, before it is issued)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    interpretation_hours: int = Field(default=72, ge=1, le=24 * 365)


def charter_rules() -> CharterRules:
    """The charter section of the profile in force; one query."""
    found = forum_queries.profile()
    section = found[1].sections.get(SECTION, {}) if found is not None else {}
    return CharterRules.model_validate(section)


def silence_bounds() -> tuple[timedelta, timedelta]:
    """The shortest and longest silence the profile in force allows; one query."""
    found = forum_queries.profile()
    if found is None:
        return timedelta(hours=24), timedelta(days=30)
    bounds = found[1].silence
    return timedelta(hours=bounds.min_hours), timedelta(hours=bounds.max_hours)
