"""The forum's projections (written only by ``apply()``) and its people (ordinary tables).

Projections are keyed by what the log names (party codes, handles, entry
indexes) so the state digest never sees a surrogate key. ``Person``,
``SignInLink`` and ``ApiToken`` hold personal data and secrets: they are
never in the log, never in the digest, and replay leaves them alone.
"""

import hashlib
from typing import Any, ClassVar

from django.conf import settings
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


class Person(models.Model):
    """Who a handle is: name and e-mail, never in the log. Linked to a sign-in account."""

    handle = models.CharField(max_length=40, unique=True)
    party = models.CharField(max_length=32)
    role = models.CharField(max_length=16)
    name = models.CharField(max_length=200)
    email = models.EmailField()
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person"
    )

    def __str__(self) -> str:
        return self.handle


def token_hash(token: str) -> str:
    """What is kept of a sign-in link's or an API token's secret: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


class SignInLink(models.Model):
    """A one-time sign-in link: only the token's hash is kept; used once, then dead."""

    token_hash = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"sign-in link for {self.person}"


class ApiToken(models.Model):
    """A person's token for scripts: shown once, stored as its SHA-256, revocable."""

    token_hash = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tokens")
    label = models.CharField(max_length=100)
    second_factor = models.BooleanField(default=False)
    """Made in a session that passed TOTP; a head's or staff's token must have been."""
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True)
    revoked_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.label} ({self.person})"


ACCOUNT_CHANGES = ("second_factor_reset", "deactivated")


class AccountChange(models.Model):
    """What secretariat staff did to a person's account, who did it and when: the record a
    person (or an auditor of the host) reads when an authenticator or an account is gone.
    Not in the log: accounts are the host's, not the parties'."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="account_changes")
    change = models.CharField(max_length=32, choices=[(c, c) for c in ACCOUNT_CHANGES])
    by = models.CharField(max_length=40)
    """The staff member's handle."""
    at = models.DateTimeField()

    class Meta:
        ordering: ClassVar[list[str]] = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.change} of {self.person} by {self.by}"


# The proxy model is defined beside its sealing; importing it here registers it with the app.
from accord.forum.authenticators import Authenticator  # noqa: E402, F401
