"""Every write to people's accounts, each one action in one transaction.

Views, the API and the CLI call these, never the models. Who may act is decided
here, not only on the page: adding a person and changing someone's account need
secretariat staff as the log has them now (``standing``); a token is revoked
only by its own person. What the forum adds to adding a person (the party and
role it checks, the handle it binds in the log) is the forum's action, which
calls ``add_person`` inside its own transaction.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accord.ledger import outbox
from accord.ledger.errors import NotAllowed
from accord.people.models import AccountChange, ApiToken, Person, SignInLink, token_hash
from accord.people.standing import standing

SIGN_IN_LINK_LIFETIME = timedelta(days=7)


def _staff(by: str, what: str) -> None:
    if not standing().is_staff(by):
        raise NotAllowed(f"{by} is not secretariat staff; only staff {what}", "not_secretariat")


@dataclass(frozen=True)
class NewPerson:
    person: Person
    sign_in_token: str


def add_person(  # noqa: PLR0913 -- the person's details, each given by the secretariat
    handle: str,
    *,
    party: str,
    role: str,
    email: str,
    by: str | None,
    name: str = "",
    password: str | None = None,
    mail_link_from: str | None = None,
) -> NewPerson:
    """An account for ``handle`` and its one-time sign-in link, in one transaction.

    ``by`` is the staff member who adds them, refused unless the log has them as
    secretariat staff now; None only for the host's operator at the command line
    (``accord forum person add``), who holds the database anyway. With
    ``mail_link_from`` (the site's address) the link is e-mailed through the
    outbox in the same transaction, so whoever added them never sees it. Three
    inserts, a password hash when ``password`` is given.
    """
    if by is not None:
        _staff(by, "add people")
    with transaction.atomic():
        if Person.objects.filter(handle=handle).exists():
            raise NotAllowed(f"the handle {handle} is taken already", "handle_taken")
        user = get_user_model().objects.create_user(username=handle, email=email, password=password)
        person = Person.objects.create(
            handle=handle, party=party, role=role, name=name or handle, email=email, user=user
        )
        token = issue_sign_in_link(person)
        if mail_link_from is not None:
            link = f"{mail_link_from.rstrip('/')}/sign-in/link/{token}"
            outbox.queue_email(
                email,
                "Your sign-in link",
                f"You have been added as {handle} ({role}, {party}).\n\n"
                f"Sign in once with this link within seven days: {link}\n",
            )
    return NewPerson(person, token)


def issue_sign_in_link(person: Person) -> str:
    """A fresh one-time sign-in token for ``person``; only its hash is stored. One insert."""
    token = secrets.token_urlsafe(32)
    SignInLink.objects.create(
        token_hash=token_hash(token),
        person=person,
        expires_at=timezone.now() + SIGN_IN_LINK_LIFETIME,
    )
    return token


def usable_sign_in_link(token: str) -> SignInLink | None:
    """The link ``token`` opens if it can still sign someone in (unused, unexpired, its
    account active), else None; one query. A read, for the page that asks to confirm."""
    link = (
        SignInLink.objects.filter(token_hash=token_hash(token))
        .select_related("person__user")
        .first()
    )
    usable = (
        link is not None
        and link.used_at is None
        and link.expires_at > timezone.now()
        and link.person.user.is_active  # a deactivated account's links are dead
    )
    return link if usable else None


def use_sign_in_link(token: str) -> Person:
    """Spend the one-time link ``token`` and return whose it was; NotAllowed if it is used,
    expired, unknown or its account deactivated. The conditional update makes two requests
    racing with one link see one success. One transaction, two queries."""
    with transaction.atomic():
        link = usable_sign_in_link(token)
        spent = link is not None and bool(
            SignInLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
                used_at=timezone.now()
            )
        )
        if not spent:
            raise NotAllowed(
                "this sign-in link was used, has expired or is not one: ask the secretariat "
                "for a new one",
                "dead_link",
            )
        assert link is not None
        return link.person


def issue_api_token(person: Person, label: str, *, second_factor: bool) -> str:
    """A new personal API token, shown once; only its hash is kept. ``second_factor``
    records whether it was made in a session that passed TOTP: only such a token acts for
    a head or staff. One insert."""
    token = "acc_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.create(
            token_hash=token_hash(token),
            person=person,
            label=label,
            second_factor=second_factor,
            created_at=timezone.now(),
        )
    return token


def revoke_api_token(person: Person, token_id: int) -> None:
    """``person`` revokes one of their own live tokens; NotAllowed for anyone else's, an
    unknown or an already revoked one, so no one learns which ids exist. One update."""
    with transaction.atomic():
        revoked = ApiToken.objects.filter(
            pk=token_id, person=person, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
    if not revoked:
        raise NotAllowed("this is not one of your tokens", "not_your_token")


def _account_of(handle: str, by: str) -> Person:
    """The person whose account staff member ``by`` changes; refused unless ``by`` is staff in
    the log now, and never for their own account (another staff member does that)."""
    _staff(by, "reset or deactivate accounts")
    if handle == by:
        raise NotAllowed("ask another staff member to change your own account", "own_account")
    person = Person.objects.filter(handle=handle).select_related("user").first()
    if person is None:
        raise NotAllowed(f"no account has the handle {handle}", "unknown_person")
    return person


def _record(person: Person, change: str, by: str, told: str) -> AccountChange:
    record = AccountChange.objects.create(person=person, change=change, by=by, at=timezone.now())
    when = record.at.strftime("%Y-%m-%d %H:%M UTC")
    outbox.queue_email(person.email, told.split("\n", 1)[0], f"{told}\n\nDone by {by} at {when}.\n")
    return record


def reset_second_factor(handle: str, *, by: str) -> AccountChange:
    """Staff member ``by`` removes ``handle``'s authenticators, for a person who lost theirs.

    Sessions that passed the code with a removed authenticator pass it no more
    (django-otp finds no device), so a head must sign in and add a new one before
    acting. Recorded as an ``AccountChange`` and told to the person by e-mail, in
    one transaction; a handful of queries.
    """
    with transaction.atomic():
        person = _account_of(handle, by)
        TOTPDevice.objects.filter(user=person.user).delete()
        return _record(
            person,
            "second_factor_reset",
            by,
            f"Your authenticator for {handle} was removed\n\n"
            "Secretariat staff removed the authenticator of your account, as for a lost one. "
            "Sign in and add a new authenticator before you act. If you did not ask for "
            "this, tell the secretariat at once.",
        )


def deactivate(handle: str, *, by: str) -> AccountChange:
    """Staff member ``by`` deactivates ``handle``'s account: it cannot sign in, its API tokens
    are revoked, its unused sign-in links die and its sessions end, in one transaction.

    Sessions end because an inactive user is no one to Django's session check, and the
    unusable password changes the hash every session was signed with (so any session
    backend ends them, at no cost here). The accreditation in the log is the party's and
    stays until the party withdraws it. A handful of queries.
    """
    with transaction.atomic():
        person = _account_of(handle, by)
        now = timezone.now()
        user = person.user
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        ApiToken.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=now)
        SignInLink.objects.filter(person=person, used_at__isnull=True).update(used_at=now)
        return _record(
            person,
            "deactivated",
            by,
            f"Your account {handle} was deactivated\n\n"
            "Secretariat staff deactivated your account: you can no longer sign in, and its "
            "API tokens no longer work. If you did not expect this, tell the secretariat.",
        )
