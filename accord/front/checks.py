"""Deployment checks (``manage.py check --deploy``) for what Accord sends out."""

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.checks import CheckMessage, Tags, register


@register(Tags.security, deploy=True)
def outgoing_mail(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:  # noqa: ARG001 -- Django's check signature
    """Sign-in links go by e-mail: without a mail server they stay in files on the host."""
    found: list[CheckMessage] = []
    if not settings.EMAIL_HOST:
        found.append(
            checks.Warning(
                "ACCORD_EMAIL_HOST is not set: sign-in links are written to files under "
                "ACCORD_VAR_DIR/mail instead of being e-mailed.",
                id="accord.W001",
            )
        )
    if not settings.SITE_URL:
        found.append(
            checks.Warning(
                "ACCORD_SITE_URL is not set: links in e-mail use the address of the request.",
                id="accord.W002",
            )
        )
    return found
