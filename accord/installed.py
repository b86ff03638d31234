"""The Django apps Accord runs with, in one list that has no side effects to import.

``accord.settings`` reads secrets and makes files under ``ACCORD_VAR_DIR`` when
imported; the evidence checker's throw-away replay (``accord.ledger.scratch_replay``)
needs the same apps, so that every projection and statement kind is registered,
without any of that.
"""

INSTALLED = (
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # The API explorer's Swagger UI from ninja's own static files, never from a CDN.
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "accord.front",
    "accord.ledger",
    "accord.people",
    "accord.forum",
    "accord.charter",
    "accord.dialogue",
    "accord.csbm",
)
