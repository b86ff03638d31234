"""The forum's projections, written only by ``apply()``.

Projections are keyed by what the log names (party codes, handles, entry
indexes) so the state digest never sees a surrogate key. People's accounts,
sign-in links and API tokens are the people app's (``accord.people.models``).
"""

from typing import Any, ClassVar

from django.db import models

STATUSES = ("invited", "interested", "participating", "observer", "partner", "declined", "left")
MEMBER_STATUSES = ("participating", "observer", "partner")
ROLES = ("head", "delegate", "adviser", "staff")


class Forum(models.Model):
    """The one forum this log serves, as founded."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    name = models.CharField(max_length=200)
    languages = models.JSONField()
    symbol_prefix = models.CharField(max_length=32)
    decision_rule = models.CharField(max_length=32)
    chair = models.CharField(max_length=32, blank=True)
    founded_at = models.BigIntegerField()
    profile_version = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.name

    def digest_row(self, *, full: bool) -> list[Any]:
        return [
            self.name,
            list(self.languages),
            self.symbol_prefix,
            self.decision_rule,
            self.chair,
            self.founded_at,
            self.profile_version,
        ]


class ForumParty(models.Model):
    """A state or organisation the forum knows: founding, invited, or a member."""

    code = models.CharField(max_length=32, primary_key=True)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=16)
    status = models.CharField(max_length=16)
    founding = models.BooleanField(default=False)
    since = models.BigIntegerField()

    class Meta:
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def digest_row(self, *, full: bool) -> list[Any]:
        return [self.code, self.name, self.category, self.status, self.founding, self.since]


class StatusChange(models.Model):
    """One step in a party's status history; the membership chart is drawn from these."""

    entry_index = models.BigIntegerField()
    party = models.CharField(max_length=32)
    status = models.CharField(max_length=16)
    logged_at = models.CharField(max_length=27)

    class Meta:
        ordering: ClassVar[list[str]] = ["entry_index", "party"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["entry_index", "party"], name="status_change_unique")
        ]

    def __str__(self) -> str:
        return f"{self.party} {self.status} at {self.entry_index}"

    def digest_row(self, *, full: bool) -> list[Any]:
        return [self.entry_index, self.party, self.status, self.logged_at]


class Invitation(models.Model):
    """An invitation to a party, named by the entry that sent it, and its latest answer."""

    entry_index = models.BigIntegerField(primary_key=True)
    party = models.CharField(max_length=32, db_index=True)
    invited_by = models.CharField(max_length=32)
    capacity = models.CharField(max_length=16)
    message = models.TextField(blank=True)
    sent_at = models.CharField(max_length=27)
    answer = models.CharField(max_length=16, blank=True)
    answered_at = models.BigIntegerField(null=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-entry_index"]

    def __str__(self) -> str:
        return f"invitation {self.entry_index} to {self.party}"

    @property
    def is_open(self) -> bool:
        return self.answer in ("", "interested")

    def digest_row(self, *, full: bool) -> list[Any]:
        return [
            self.entry_index,
            self.party,
            self.invited_by,
            self.capacity,
            self.message,
            self.sent_at,
            self.answer,
            self.answered_at,
        ]


class Accreditation(models.Model):
    """A person accredited to act for a party in one role; withdrawn by a later entry."""

    entry_index = models.BigIntegerField(primary_key=True)
    handle = models.CharField(max_length=40, db_index=True)
    party = models.CharField(max_length=32, db_index=True)
    role = models.CharField(max_length=16)
    accredited_by = models.CharField(max_length=40, blank=True)
    withdrawn_at = models.BigIntegerField(null=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["party", "handle"]

    def __str__(self) -> str:
        return f"{self.handle} ({self.role}, {self.party})"

    def digest_row(self, *, full: bool) -> list[Any]:
        return [
            self.entry_index,
            self.handle,
            self.party,
            self.role,
            self.accredited_by,
            self.withdrawn_at,
        ]


class ChairTerm(models.Model):
    """A party's time in the chair, from the entry that gave it to the one that ended it."""

    began_at = models.BigIntegerField(primary_key=True)
    party = models.CharField(max_length=32)
    ended_at = models.BigIntegerField(null=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["began_at"]

    def __str__(self) -> str:
        return f"{self.party} chairs from {self.began_at}"

    def digest_row(self, *, full: bool) -> list[Any]:
        return [self.began_at, self.party, self.ended_at]


class RulesProfile(models.Model):
    """One version of the rules of procedure, as canonical JSON, and the entry that adopted it."""

    version = models.PositiveIntegerField(primary_key=True)
    profile = models.JSONField()
    adopted_at = models.BigIntegerField()

    class Meta:
        ordering: ClassVar[list[str]] = ["-version"]

    def __str__(self) -> str:
        return f"rules profile v{self.version}"

    def digest_row(self, *, full: bool) -> list[Any]:
        return [self.version, self.profile, self.adopted_at]


class ProfileProposal(models.Model):
    """The chair's proposed new rules profile, the parties that agreed, and its fate."""

    entry_index = models.BigIntegerField(primary_key=True)
    version = models.PositiveIntegerField()
    profile = models.JSONField()
    proposed_by = models.CharField(max_length=32)
    agreed_by = models.JSONField(default=list)
    adopted_at = models.BigIntegerField(null=True)

    def __str__(self) -> str:
        return f"proposal {self.entry_index} of rules profile v{self.version}"

    def digest_row(self, *, full: bool) -> list[Any]:
        return [
            self.entry_index,
            self.version,
            self.profile,
            self.proposed_by,
            sorted(self.agreed_by),
            self.adopted_at,
        ]


class HandleBinding(models.Model):
    """A handle the secretariat added for a party (``forum.person.added``): only that party
    may accredit it. Kept in the log, by handle and party only, so every replay judges the
    same way whether or not it holds the host's ``Person`` table."""

    handle = models.CharField(max_length=40, primary_key=True)
    party = models.CharField(max_length=32)
    entry_index = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.handle} (added for {self.party})"

    def digest_row(self, *, full: bool) -> list[Any]:
        return [self.handle, self.party, self.entry_index]


class ForumDescription(models.Model):
    """The forum's name and purpose in each official language, as last described.

    One row per language; a new description replaces the whole set, so a language
    the secretariat leaves out no longer speaks an old text.
    """

    language = models.CharField(max_length=16, primary_key=True)
    name = models.CharField(max_length=200)
    purpose = models.TextField()
    described_at = models.BigIntegerField()

    class Meta:
        ordering: ClassVar[list[str]] = ["language"]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"

    def digest_row(self, *, full: bool) -> list[Any]:
        return [self.language, self.name, self.purpose, self.described_at]
