"""Django settings for Accord.

Zero configuration gives a working development site: SQLite under ``var/``
and a development secret key. Production sets ``DATABASE_URL`` (PostgreSQL),
``ACCORD_SECRET_KEY`` (or ``ACCORD_SECRET_KEY_FILE``), ``ACCORD_DEBUG=false``
and ``ACCORD_ALLOWED_HOSTS``. Every setting is listed in ``.env.example``.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from accord.lib.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ACCORD_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("ACCORD_DEBUG", default=True)
_DEVELOPMENT_KEY = "accord-development-key-not-for-production"
SECRET_KEY = env_secret("ACCORD_SECRET_KEY", _DEVELOPMENT_KEY)
if not DEBUG and SECRET_KEY == _DEVELOPMENT_KEY:
    raise ImproperlyConfigured(
        "set ACCORD_SECRET_KEY (or ACCORD_SECRET_KEY_FILE) when ACCORD_DEBUG is false"
    )
ALLOWED_HOSTS = env_list("ACCORD_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "accord.front",
    "accord.ledger",
    "accord.forum",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
AXES_LOCKOUT_TEMPLATE = "front/locked_out.html"
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
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("ACCORD_EMAIL_FROM", "accord@localhost")
SITE_URL = env_str("ACCORD_SITE_URL")
"""The public address links in e-mail point to, e.g. https://forum.example/."""
"""A demo deployment: every page says so, and two-factor sign-in is skipped."""

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
                "accord.front.context.site",
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
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "accord.sqlite3",
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

SESSION_COOKIE_SECURE = env_bool("ACCORD_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
