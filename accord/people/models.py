"""People's accounts: who a handle is, their sign-in links, API tokens and account record.

Ordinary tables, never projections: they hold personal data and secrets, so they
are never in the log, never in the state digest, and replay leaves them alone.
The tables keep the names they had when they lived in the forum app
(``forum_person`` …), so moving them here copied no row (migration 0001).
"""

import hashlib
from typing import ClassVar

from django.conf import settings
from django.db import models


class Person(models.Model):
    """Who a handle is: name and e-mail, never in the log. Linked to a sign-in account."""

    handle = models.CharField(max_length=40, unique=True)
    party = models.CharField(max_length=32)
    role = models.CharField(max_length=16)
    """The role the secretariat added them for; the log's accreditation overrides it."""
    name = models.CharField(max_length=200)
    email = models.EmailField()
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person"
    )

    class Meta:
        db_table = "forum_person"

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

    class Meta:
        db_table = "forum_signinlink"

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

    class Meta:
        db_table = "forum_apitoken"

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
        db_table = "forum_accountchange"
        ordering: ClassVar[list[str]] = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.change} of {self.person} by {self.by}"


# The proxy model is defined beside its sealing; importing it here registers it with the app.
from accord.people.authenticators import Authenticator  # noqa: E402, F401
