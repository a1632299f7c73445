"""Settings for Local Power. Everything that differs between machines comes from the environment.

See the configuration table in README.md. Bad values fail at start-up with a message naming the variable.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from localpower.core.env import envbool, envcolour, envint, envlist, envsecret, envstr

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(envstr("DATA_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", False)
SITE_URL = (envstr("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in ("http", "https") or not _site.hostname:
    raise ImproperlyConfigured(
        f"SITE_URL must be a full address such as https://localpower.example.gov.uk, not {SITE_URL!r}."
    )
HTTPS = _site.scheme == "https"


def _secret_key() -> str:
    key = envsecret("SECRET_KEY")
    if key:
        return key
    # Development fallback: a random key kept in a git-ignored file so sessions survive restarts.
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [_site.hostname, "127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [f"{_site.scheme}://{_site.netloc}"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "localpower.core",
    "localpower.places",
    "localpower.accounts",
    "localpower.api",
    "localpower.budgets",
    "localpower.notifications",
    "localpower.consultations",
    "localpower.simulator",
    "localpower.conversations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "localpower.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "localpower.urls"
WSGI_APPLICATION = "localpower.wsgi.application"

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
                "localpower.core.context_processors.council",
            ],
            "builtins": ["localpower.core.templatetags.govuk"],
        },
    }
]
FORM_RENDERER = "localpower.core.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _cache(url: str) -> dict:
    """The cache (rate limits, short-lived counts) from CACHE_URL: db://TABLE, redis://HOST:PORT/DB or locmem://."""
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": url.split("://", 1)[1] or "localpower_cache",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    if scheme in ("redis", "rediss"):
        try:
            import redis  # noqa: F401
        except ImportError:
            raise ImproperlyConfigured(
                "CACHE_URL asks for Redis, but the redis package is missing: pip install -e '.[redis]'."
            ) from None
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        # One cache per process: rate limits are not shared between server processes.
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(f"CACHE_URL must start with db://, redis:// or locmem://, not {url!r}.")


CACHES = {"default": _cache(envstr("CACHE_URL", "db://localpower_cache") or "")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "accounts:account"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_HOST = envstr("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD") or ""
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Local Power <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {"default": {"BACKEND": envstr("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# The council running this service: shown in the header, footer and e-mails.
COUNCIL_NAME = envstr("COUNCIL_NAME", "Demo Borough Council")
COUNCIL_SHORT_NAME = envstr("COUNCIL_SHORT_NAME", "Demo Borough")
COUNCIL_COLOUR = envcolour("COUNCIL_COLOUR", "#1d70b8")
COUNCIL_LOGO_URL = envstr("COUNCIL_LOGO_URL", "")
COUNCIL_CONTACT_EMAIL = envstr("COUNCIL_CONTACT_EMAIL", "localpower@example.org")
SERVICE_NAME = envstr("SERVICE_NAME", "Local Power")

# Security. Cookies and redirects follow SITE_URL's scheme, so a plain-http demo on 127.0.0.1 still works.
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
# Joining the browsers' HSTS preload list is a council's own decision (SECURE_HSTS_PRELOAD), not a default.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", False) else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Sign-in attempts allowed per e-mail address and per network address in the window below.
SIGN_IN_RATE_LIMIT = envint("SIGN_IN_RATE_LIMIT", 5, minimum=1)
SIGN_IN_RATE_WINDOW = envint("SIGN_IN_RATE_WINDOW", 15 * 60, minimum=1)

# API requests allowed a minute: per network address without a token, and per person with a token or session.
API_RATE_LIMIT = envint("API_RATE_LIMIT", 300, minimum=1)
API_RATE_LIMIT_TOKEN = envint("API_RATE_LIMIT_TOKEN", 1200, minimum=1)

# Simple checks on statements people post in conversations (localpower.core.textcheck). The word list replaces
# the built-in one when set; "-" switches the word check off.
if envstr("TEXTCHECK_BLOCKED_WORDS", ""):
    TEXTCHECK_BLOCKED_WORDS = [word for word in envlist("TEXTCHECK_BLOCKED_WORDS", []) if word != "-"]
TEXTCHECK_MAX_LINKS = envint("TEXTCHECK_MAX_LINKS", 1, minimum=0)
TEXTCHECK_MAX_REPEAT = envint("TEXTCHECK_MAX_REPEAT", 5, minimum=2)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING" if not DEBUG else "INFO"}},
}
