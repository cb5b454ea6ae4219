"""XieYu settings: one file, driven by XIEYU_* environment variables."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("XIEYU_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("XIEYU_DEBUG", False)
# Demo mode allows seeding the demo county and prints demo logins; never on in production.
DEMO_MODE = env_bool("XIEYU_DEMO", DEBUG)
SECRET_KEY = os.environ.get("XIEYU_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or DEMO_MODE):
        raise RuntimeError("XIEYU_SECRET_KEY must be set when XIEYU_DEBUG and XIEYU_DEMO are off")
    SECRET_KEY = "insecure-demo-key-only-for-local-development-and-tests-0123456789"  # noqa: S105
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("XIEYU_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
# The site's address as families reach it: SMS texts carry links on it ("http://127.0.0.1:8000/notices/12/").
SITE_URL = os.environ.get("XIEYU_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("XIEYU_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "ninja",
    "xieyu.core",
    "xieyu.accounts",
    "xieyu.audit",
    "xieyu.directory",
    "xieyu.deadlines",
    "xieyu.notices",
    "xieyu.surveys",
    "xieyu.events",
    "xieyu.parentschool",
    "xieyu.questions",
    "xieyu.care",
    "xieyu.committees",
    "xieyu.burden",
    "xieyu.teams",
    "xieyu.venues",
    "xieyu.publicity",
    "xieyu.awards",
    "xieyu.dashboard",
    "xieyu.api",
    "xieyu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "xieyu.core.middleware.CompressTextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "xieyu.core.middleware.ForbiddenCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "xieyu.core.middleware.SlidingSessionMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xieyu.urls"
WSGI_APPLICATION = "xieyu.wsgi.application"

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
                "xieyu.accounts.context_processors.navigation",
                "xieyu.notices.context_processors.unread_notices",
                "xieyu.questions.context_processors.question_alerts",
            ],
        },
    },
]

# Database: SQLite under var/ by default, PostgreSQL through XIEYU_DATABASE_URL in production.
DATABASE_URL = os.environ.get("XIEYU_DATABASE_URL", f"sqlite:///{VAR_DIR / 'xieyu.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("XIEYU_REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("XIEYU_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "xieyu.accounts.validators.LettersAndDigitsValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions slide: they end after eight idle hours (XIEYU_SESSION_SECONDS); the expiry moves forward every few
# minutes of use (core.middleware.SlidingSessionMiddleware), not with a write on every request.
SESSION_COOKIE_AGE = int(os.environ.get("XIEYU_SESSION_SECONDS", 8 * 60 * 60))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# The client's address, for rate limits, the lockout and the access log (xieyu.core.clientip.client_address): behind
# these proxies (comma-separated IPs or CIDRs), the right-most X-Forwarded-For address that is not one of them;
# otherwise REMOTE_ADDR.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("XIEYU_TRUSTED_PROXIES", "").split(",") if p.strip()]

# API bearer tokens work this many days after their creation (and end with a password change).
API_TOKEN_DAYS = int(os.environ.get("XIEYU_API_TOKEN_DAYS", 90))

# Joining a class: SMS codes for numbers not on the class's roster, per hour, per join code and per client address.
JOIN_SMS_PER_CODE = int(os.environ.get("XIEYU_JOIN_SMS_PER_CODE", 5))
JOIN_SMS_PER_CLIENT = int(os.environ.get("XIEYU_JOIN_SMS_PER_CLIENT", 10))

# Lockout after repeated failed logins (等保 2.0): five failures lock a mobile number for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("XIEYU_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = 0.5
# Locked by mobile number, not by IP: a whole school or village shares one address behind its router.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "phone"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_CLIENT_IP_CALLABLE = "xieyu.core.clientip.client_address"

# One-time login codes by SMS: a logging sender by default, a real gateway by dotted path.
SMS_SENDER = os.environ.get("XIEYU_SMS_SENDER", "xieyu.accounts.sms.LoggingSender")
LOGIN_CODE_TTL_SECONDS = 300
LOGIN_CODE_MAX_ATTEMPTS = 5

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese"))]
# The project's catalogues come first, so Django's own never overrides our wording ("注销" for "Log out").
LOCALE_PATHS = sorted(str(p) for p in (BASE_DIR / "xieyu").glob("*/locale"))
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "xieyu.core.npmfiles.NpmFileFinder",
]
# One file of an npm package each (xieyu/core/npmfiles.py), not the package: ECharts for the dashboard's charts.
NPM_STATIC_FILES = {"echarts/echarts.min.js": "echarts/dist/echarts.min.js"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# Uploads: roster files up to 20 MB.
ROSTER_MAX_BYTES = int(os.environ.get("XIEYU_ROSTER_MAX_BYTES", 20 * 1024 * 1024))
# An .xlsx is a zip: one that would unpack to more than this is refused unread (a full 50,000-row roster unpacks
# to about 75 MB).
ROSTER_MAX_UNPACKED_BYTES = int(os.environ.get("XIEYU_ROSTER_MAX_UNPACKED_BYTES", 150 * 1024 * 1024))
# A roster check or commit whose worker has shown no progress for this long is freed to run again.
ROSTER_STALE_SECONDS = int(os.environ.get("XIEYU_ROSTER_STALE_SECONDS", 15 * 60))
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Care casework: a counsellor who opens a case not assigned to them (stating why) may read it for this long; a link
# for an agency without an account works this many days; figures show counts under this as "<5".
CARE_BREAK_GLASS_HOURS = int(os.environ.get("XIEYU_CARE_BREAK_GLASS_HOURS", 24))
CARE_REFERRAL_LINK_DAYS = int(os.environ.get("XIEYU_CARE_REFERRAL_LINK_DAYS", 14))
CARE_CONSENT_DAYS = int(os.environ.get("XIEYU_CARE_CONSENT_DAYS", 365))
SMALL_CELL = int(os.environ.get("XIEYU_SMALL_CELL", 5))

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Production defaults to HTTPS only; the demo on 127.0.0.1 speaks plain HTTP.
PRODUCTION = not (DEBUG or DEMO_MODE)
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("XIEYU_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("XIEYU_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("XIEYU_SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("XIEYU_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("XIEYU_LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}, "django_tasks": {"level": "WARNING"}},
}
