"""Settings, driven by the environment so one build serves a laptop clinic and a network.

ACUPATH_DATA_DIR   where the embedded database and uploads live (default ./var)
DATABASE_URL       use PostgreSQL (or any URL dj-database-url knows) instead of SQLite
ACUPATH_SECRET_KEY secret for signing; generated once into the data folder when unset
ACUPATH_DEBUG      "1" for development error pages
ACUPATH_LOGIN_FAILURE_LIMIT / ACUPATH_LOGIN_COOLOFF_MINUTES  sign-in lockout (5 failures, 15 minutes)
ACUPATH_TOKEN_DAYS API token lifetime in days (30)
"""

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ACUPATH_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if key := os.environ.get("ACUPATH_SECRET_KEY"):
        return key
    # A per-installation key kept beside the data, so sessions survive restarts and
    # every app process of one installation signs with the same key.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("ACUPATH_DEBUG") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("ACUPATH_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("ACUPATH_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "acupath.core",
    "acupath.accounts",
    "acupath.knowledge",
    "acupath.clinic",
    "acupath.patients",
    "acupath.intake",
    "acupath.measures",
    "acupath.planning",
    "acupath.treatment",
    "acupath.reassessment",
    "acupath.scheduling",
    "acupath.booking",
    "acupath.followup",
    "acupath.billing",
    "acupath.chart",
    "acupath.portal",
    "acupath.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "acupath.core.middleware.RefuseUnstorableInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "acupath.clinic.middleware.ClinicTimezoneMiddleware",
    # Last, so it sees the failed sign-in of the view and answers with the lockout page or JSON.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "acupath.config.urls"
WSGI_APPLICATION = "acupath.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "acupath.accounts.context.role",
                "acupath.clinic.context.clinic",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "acupath.sqlite3"),
            "OPTIONS": {
                # WAL lets the clinic's several server workers read while one writes;
                # IMMEDIATE transactions take the write lock up front so concurrent
                # writers queue (busy timeout) instead of failing mid-transaction.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # A file, not memory, so tests can use several connections (live server, concurrency).
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    }

# Larger bodies are refused (a JSON 413 on the API): no clinical form comes near 2.5 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("ACUPATH_MAX_BODY_BYTES", str(2_621_440)))

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "first_name", "last_name", "email")},
    },
    # Django's 20k common passwords plus the demo's own password (see docs/decisions.md).
    {"NAME": "acupath.accounts.passwords.BreachedPasswordValidator"},
]
# Axes first: it refuses a locked user or address before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Sign-in lockout: after this many failures within the cool-off, the user name and the address are
# each refused until the cool-off has passed (so the 6th try within 15 minutes is refused by default).
LOGIN_FAILURE_LIMIT = int(os.environ.get("ACUPATH_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_COOLOFF_MINUTES = int(os.environ.get("ACUPATH_LOGIN_COOLOFF_MINUTES", "15"))
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "acupath.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# API tokens end after this many days.
TOKEN_DAYS = int(os.environ.get("ACUPATH_TOKEN_DAYS", "30"))
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10  # one clinic day

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"  # storage; pages are shown in the clinic's zone (ClinicTimezoneMiddleware)
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = os.environ.get("ACUPATH_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "outbox"
# SMTP, used when ACUPATH_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend
EMAIL_HOST = os.environ.get("ACUPATH_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("ACUPATH_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("ACUPATH_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ACUPATH_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("ACUPATH_EMAIL_TLS") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("ACUPATH_FROM_EMAIL", "clinic@acupath.local")
# The address links in e-mails point to when no request is at hand (e.g. a command run by cron).
PUBLIC_URL = os.environ.get("ACUPATH_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

# "default" is per process (tiny hot values such as the clinic's zone); "shared" is seen by every
# app process of the installation (rate limits): files in the data folder, or Redis when
# ACUPATH_CACHE_URL=redis://... is set (needs the redis package).
CACHES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["ACUPATH_CACHE_URL"]}
        if os.environ.get("ACUPATH_CACHE_URL")
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    ),
}

# Logs carry request paths and ids, never patient names or clinical content.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ACUPATH_LOG_LEVEL", "WARNING")},
}
