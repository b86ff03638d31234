"""The conference's rules in the forum's profile: ``sections["dialogue"]``.

Registered when the app loads (``accord.forum.profile.register_section``), so a new
forum's standard profile carries these defaults and every proposed profile is
checked against them; a forum founded before the conference uses the same defaults
until it adopts an amendment that writes the section. The numbers are practice,
not law: the right of reply's two turns of ten and five minutes are attributed to
UNGA decision 34/401 (rules of procedure, annex V) and are unverified
(``reference/dialogue.md`` §2.4), so each forum sets its own.
"""

from pydantic import BaseModel, ConfigDict, Field

from accord.forum import queries as forum_queries

SECTION = "dialogue"


class DialogueRules(BaseModel):
    """How long the parties present have to object when the chair asks for consensus, how
    long a statement may run, and how many rights of reply of what length a party has per
    item and meeting."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    objection_minutes: int = Field(default=10, ge=1, le=24 * 60 * 30)
    statement_seconds: int = Field(default=300, ge=30, le=3600)
    point_of_order_seconds: int = Field(default=120, ge=30, le=3600)
    reply_cap: int = Field(default=2, ge=0, le=10)
    reply_seconds: list[int] = Field(default_factory=lambda: [600, 300], min_length=1)


def dialogue_rules() -> DialogueRules:
    """The dialogue section of the profile in force; one query."""
    found = forum_queries.profile()
    section = found[1].sections.get(SECTION, {}) if found is not None else {}
    return DialogueRules.model_validate(section)


def reply_seconds(rules: DialogueRules, turn: int) -> int:
    """The length of a party's ``turn``-th reply (from 0); the last length repeats."""
    return rules.reply_seconds[min(turn, len(rules.reply_seconds) - 1)]
