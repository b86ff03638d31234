"""``FORUM.toml``: the file a secretariat writes to found a forum (schema in docs/forum.md).

Parsing is strict: an unknown key, a missing field or a wrong type is refused
with the key's path, before anything is written.
"""

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from accord.forum.profile import Profile, SilenceBounds, standard
from accord.forum.statements import CODE, Category, ForumName, Language, Purpose


class FoundingError(ValueError):
    """FORUM.toml cannot found a forum; the message names the key and what is wrong."""


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class ForumSection(_Strict):
    name: ForumName | dict[Language, ForumName]
    """One name, or a ``[forum.name]`` table with the name in each official language."""
    origin: str = Field(min_length=1, max_length=200, pattern=r"^[^\s+]+$")
    languages: list[str] = Field(min_length=1)
    symbol_prefix: str = Field(pattern=r"^[A-Z][A-Z0-9.]{0,31}$")
    decision_rule: Literal["consensus", "majority"] = "consensus"
    chair: str
    purpose: dict[Language, Purpose] | None = None
    """The ``[forum.purpose]`` table: what the forum is for, in each official language."""

    @model_validator(mode="after")
    def _spoken_officially(self) -> "ForumSection":
        """Refuse a name or purpose table that misses an official language or adds another,
        naming the key; the ``forum.described`` statement would be refused the same way."""
        official = set(self.languages)
        tables = {"purpose": self.purpose or {}}
        if isinstance(self.name, dict):
            tables["name"] = self.name
            if self.purpose is None:
                raise ValueError(
                    "give [forum.purpose] in each official language beside [forum.name]"
                )
        for key, table in tables.items():
            foreign = sorted(set(table) - official)
            if foreign:
                raise ValueError(f"{key}.{foreign[0]}: {foreign[0]} is not in forum.languages")
            if table and set(table) != official:
                missing = ", ".join(sorted(official - set(table)))
                raise ValueError(f"{key}: give it in every official language; {missing} missing")
        return self

    @property
    def founding_name(self) -> str:
        """The name the founding statement carries: the one name, or the first language's."""
        return self.name if isinstance(self.name, str) else self.name[self.languages[0]]

    def description(self) -> dict[str, dict[str, str]] | None:
        """The ``forum.described`` body this file asks for, or None when it gives no purpose."""
        if self.purpose is None:
            return None
        names = self.name
        if isinstance(names, str):
            names = dict.fromkeys(self.languages, names)
        return {"name": dict(names), "purpose": dict(self.purpose)}


class FoundingPartySection(_Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=200)
    category: Category = "state"
    vkey: str | None = None
    """The party's own verifier key; without one the host keeps a key for it."""


class ProfileSection(_Strict):
    silence: SilenceBounds | None = None
    may: dict[str, list[str]] = Field(default_factory=dict)
    sections: dict[str, dict[str, Any]] = Field(default_factory=dict)


class ForumFile(_Strict):
    forum: ForumSection
    party: list[FoundingPartySection] = Field(min_length=1)
    profile: ProfileSection = Field(default_factory=ProfileSection)

    def rules(self) -> Profile:
        """The standard profile with this file's changes: ``may`` entries replace whole kinds,
        ``sections`` whole sections."""
        base = standard()
        return standard(
            may={**base.may, **self.profile.may},
            silence=self.profile.silence or base.silence,
            sections={**base.sections, **self.profile.sections},
        )


def parse(text: str) -> ForumFile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FoundingError(f"FORUM.toml is not TOML: {exc}") from None
    try:
        forum = ForumFile.model_validate(data)
        forum.rules()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise FoundingError(f"FORUM.toml: {where}: {first['msg']}") from None
    if forum.forum.chair not in {party.code for party in forum.party}:
        raise FoundingError("FORUM.toml: forum.chair must be the code of a [[party]]")
    return forum


def load(path: Path) -> ForumFile:
    try:
        return parse(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FoundingError(f"cannot read {path}: {exc.strerror}") from None
