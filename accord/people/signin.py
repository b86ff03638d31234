"""Sign-in: password or one-time link, then a TOTP code where the person's role asks for one.

Heads of delegation and secretariat staff must have passed a TOTP check in this
session before anything is signed on their behalf (``second_factor_missing``,
which the forum's ``acting_person`` asks); who they are in the log is the
forum's ``Standing``, and the demo skips the check and says so. Failed password
sign-ins are counted by django-axes in the database and locked out per handle and
address.
"""

from typing import Any

import segno
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from accord.ledger.errors import NotAllowed
from accord.people import actions, authenticators
from accord.people.authenticators import Authenticator
from accord.people.forms import CodeForm, SignInForm, TokenForm
from accord.people.models import Person
from accord.people.standing import standing

HOME = "/"
"""Where a person lands after signing in or out: the site's home, whichever app serves it."""


def site_url(request: HttpRequest) -> str:
    """The site's address for links sent by e-mail: ``ACCORD_SITE_URL``, else this request's
    (which a client chooses among ALLOWED_HOSTS, and which is http:// behind a TLS proxy)."""
    return settings.SITE_URL or request.build_absolute_uri("/")


def person_of(request: HttpRequest) -> Person | None:
    if not request.user.is_authenticated:
        return None
    return Person.objects.filter(user=request.user).first()


def second_factor_missing(request: HttpRequest, person: Person) -> bool:
    """Whether this person must still pass a TOTP check before acting."""
    return second_factor_required(person) and not passed_second_factor(request)


def second_factor_required(person: Person) -> bool:
    """Whether the person's role (in the log, else as added) asks for TOTP; two queries."""
    return standing().second_factor_required(person.handle, person.role)


def _after_password(request: HttpRequest, person: Person | None) -> HttpResponseRedirect:
    if person is not None and second_factor_missing(request, person):
        if user_has_device(request.user, confirmed=True):
            return redirect("sign-in-code")
        return redirect("two-factor")
    wanted = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(wanted if wanted and safe else HOME)


@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        user = auth.authenticate(
            request, username=form.cleaned_data["handle"], password=form.cleaned_data["password"]
        )
        if user is not None:
            auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return _after_password(request, person_of(request))
        error = _("The handle or password is wrong.")
        if getattr(request, "axes_locked_out", False):
            error = _("Too many failed sign-ins; try again later.")
    return render(request, "people/sign_in.html", {"form": form, "error": error}, status=200)


@require_http_methods(["GET", "HEAD", "POST"])
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST signs in: link previewers that fetch URLs do not use the link."""
    dead = {"usable": False}
    if request.method == "POST":
        try:
            person = actions.use_sign_in_link(token)
        except NotAllowed:
            return render(request, "people/sign_in_link.html", dead, status=410)
        auth.login(request, person.user, backend="django.contrib.auth.backends.ModelBackend")
        return _after_password(request, person)
    link = actions.usable_sign_in_link(token)
    if link is None:
        return render(request, "people/sign_in_link.html", dead, status=410)
    return render(request, "people/sign_in_link.html", {"usable": True, "person": link.person})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        for device in Authenticator.objects.devices_for_user(request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["code"]):
                otp_login(request, device)
                return redirect(HOME)
        error = _("That code is not the one your authenticator shows now.")
    return render(request, "people/sign_in_code.html", {"form": form, "error": error})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return redirect(HOME)


def _enrolment(request: HttpRequest) -> Authenticator:
    """The authenticator being added, its secret sealed under the KEK from the start."""
    device: Authenticator | None = Authenticator.objects.filter(
        user=request.user, confirmed=False
    ).first()
    if device is None:
        assert isinstance(request.user, AbstractBaseUser)  # @login_required
        device = authenticators.enrol(request.user)
    return device


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Add a TOTP authenticator: scan the QR code, then confirm with a code from it."""
    if user_has_device(request.user, confirmed=True):
        return render(request, "people/two_factor.html", {"enrolled": True})
    device = _enrolment(request)
    form = CodeForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect("account")
        error = _("That code is not the one your authenticator shows now.")
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, title="TOTP")
    context: dict[str, Any] = {
        "enrolled": False,
        "form": form,
        "error": error,
        "qr": qr,
        "secret": device.config_url,
    }
    return render(request, "people/two_factor.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """The person's own page: second factor, and personal API tokens (each shown once)."""
    person = person_of(request)
    if person is None:
        raise PermissionDenied(_("This account is not a person of the forum."))
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST":
        if second_factor_missing(request, person):
            raise PermissionDenied(_("Sign in with your authenticator code first."))
        if form.is_valid():
            new_token = actions.issue_api_token(
                person, form.cleaned_data["label"], second_factor=passed_second_factor(request)
            )
            form = TokenForm()
    context = {
        "person": person,
        "form": form,
        "new_token": new_token,
        "tokens": person.tokens.filter(revoked_at__isnull=True).order_by("-created_at"),
        "has_device": user_has_device(request.user, confirmed=True),
        "needs_second_factor": second_factor_required(person),
        "verified": passed_second_factor(request),
    }
    return render(request, "people/account.html", context)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    person = person_of(request)
    if person is None:
        raise PermissionDenied(_("This is not one of your tokens."))
    try:
        actions.revoke_api_token(person, token_id)
    except NotAllowed:
        raise PermissionDenied(_("This is not one of your tokens.")) from None
    return HttpResponseRedirect(reverse("account"))


def passed_second_factor(request: HttpRequest) -> bool:
    # OTPMiddleware adds is_verified() to each request's user; a user who has just signed
    # in within this request has not passed the second factor.
    verified = getattr(request.user, "is_verified", None)
    return verified is not None and bool(verified())
