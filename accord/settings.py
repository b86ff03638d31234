"""Django settings for Accord.

Zero configuration gives a working site with safe defaults: DEBUG off, SQLite
under ``var/``, and a secret key made once in ``var/secret_key`` (mode 0600).
Production (``accord web``, docs/deploy.md) sets ``DATABASE_URL``
(PostgreSQL), ``ACCORD_SECRET_KEY``, ``ACCORD_KEK`` and ``ACCORD_ALLOWED_HOSTS``.
Every setting is listed in ``.env.example``.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

from accord.installed import INSTALLED
from accord.lib.env import env_bool, env_int, env_list, env_secret, env_str, generated_secret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ACCORD_VAR_DIR", str(BASE_DIR / "var")))

# The folder holds the database, blobs, mail and generated secrets: only its owner may enter.
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)

# Off unless set on purpose: a debug page shows code, settings and every URL pattern.
DEBUG = env_bool("ACCORD_DEBUG", default=False)
SECRET_KEY = env_secret("ACCORD_SECRET_KEY") or generated_secret(
    VAR_DIR / "secret_key", lambda: secrets.token_urlsafe(50), "ACCORD_SECRET_KEY"
)
ALLOWED_HOSTS = env_list("ACCORD_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = list(INSTALLED)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "accord.front.security.SecurityHeaders",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Renders a bare 405 into the layout (pages) or JSON (API); needs the session and user.
    "accord.front.errors.NotAllowedPage",
    # Last, as django-axes asks: it turns a locked-out sign-in into its refusal.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed sign-ins in the database, so every process shares the count.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("ACCORD_SIGN_IN_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ACCORD_SIGN_IN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "people/locked_out.html"
OTP_TOTP_ISSUER = "Accord"
LOGIN_URL = "sign-in"

# Outgoing e-mail (sign-in links), sent by the worker from the outbox. Without a host, mail is
# written as files under VAR_DIR/mail, so a development site loses nothing.
EMAIL_HOST = env_str("ACCORD_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("ACCORD_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("ACCORD_EMAIL_USER")
    EMAIL_HOST_PASSWORD = env_secret("ACCORD_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("ACCORD_EMAIL_TLS", default=True)
else:
    EMAIL_BACKEND = "accord.front.security.PrivateMailFiles"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("ACCORD_EMAIL_FROM", "accord@localhost")
SITE_URL = env_str("ACCORD_SITE_URL")
"""The public address links in e-mail point to, e.g. https://forum.example/."""

ROOT_URLCONF = "accord.urls"
WSGI_APPLICATION = "accord.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accord.forum.context.site",
            ],
        },
    },
]


def _database(url: str) -> dict[str, object]:
    """The default database: ``url`` when given, else SQLite under VAR_DIR.

    SQLite runs in WAL mode with synchronous=FULL, so readers never block the
    writer and a committed statement survives a power cut, and with IMMEDIATE
    transactions, so two writers queue for the lock instead of one failing
    half-way (DESIGN.md §4).
    """
    if url:
        config = dict(dj_database_url.parse(url, conn_max_age=env_int("ACCORD_DB_CONN_MAX_AGE", 0)))
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config["OPTIONS"] = _SQLITE_OPTIONS
        return config
    name = VAR_DIR / "accord.sqlite3"
    # Made 0600 before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
    os.close(os.open(name, os.O_WRONLY | os.O_CREAT, 0o600))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "OPTIONS": _SQLITE_OPTIONS,
    }


_SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
}

DATABASES = {"default": _database(env_str("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "accord" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# htmx comes from the npm registry (package.json), installed by `make` into node_modules/.
STATICFILES_DIRS = [("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist")]
# Static files come straight from the apps and node_modules (no collectstatic step), with
# WhiteNoise's caching headers, also when DEBUG is off.
WHITENOISE_USE_FINDERS = True

# Secure cookies unless DEBUG; `accord serve` and `accord demo` turn them off for plain http on
# the loopback. A session lasts a working day, not Django's two weeks.
SESSION_COOKIE_SECURE = env_bool("ACCORD_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(timedelta(hours=env_int("ACCORD_SESSION_HOURS", 12)).total_seconds())
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "accord.front.errors.csrf_failure"
# Sent on HTTPS requests only (Django's SecurityMiddleware), so plain-http development is unharmed;
# behind a TLS proxy gunicorn marks a request secure from X-Forwarded-Proto (docs/deploy.md).
SECURE_HSTS_SECONDS = env_int("ACCORD_HSTS_SECONDS", int(timedelta(days=365).total_seconds()))

# No page shows a secret, DEBUG or not: every ACCORD_* variable, DATABASE_URL and any value
# equal to a configured secret are withheld from error reports.
DEFAULT_EXCEPTION_REPORTER_FILTER = "accord.front.security.SecretFilter"

# Sign-in link tokens never reach a log: runserver's access log and Django's request warnings
# pass through a filter that withholds them (gunicorn's access log: accord/gunicorn_config.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"sign_in_tokens": {"()": "accord.front.security.SignInTokenFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "django.server": {
            "level": "INFO",
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["sign_in_tokens"],
        }
    },
    "loggers": {
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.request": {"filters": ["sign_in_tokens"]},
    },
}

# Submissions to POST /api/v1/statements (accord/ledger/allowance.py). Input that is not a
# party's next validly signed statement is limited per client address; a party's own verified
# statements per party, generously. X-Forwarded-For is believed only from these proxies.
ACCORD_ADDRESS_BURST = env_int("ACCORD_ADDRESS_BURST", 60)
ACCORD_ADDRESS_PER_MINUTE = env_int("ACCORD_ADDRESS_PER_MINUTE", 30)
ACCORD_PARTY_BURST = env_int("ACCORD_PARTY_BURST", 500)
ACCORD_PARTY_PER_MINUTE = env_int("ACCORD_PARTY_PER_MINUTE", 3000)
ACCORD_TRUSTED_PROXIES = env_list("ACCORD_TRUSTED_PROXIES")
# The largest blob or restricted body one submission may carry, in bytes (2 MiB).
ACCORD_MAX_BLOB_BYTES = env_int("ACCORD_MAX_BLOB_BYTES", 2 * 1024 * 1024)
