"""Settings for the Mỹ Tho campaign tracker, all read from the environment.

Development (`make run`) sets ``DEBUG=1`` and gets SQLite and a throw-away secret key.
Production leaves ``DEBUG`` off and must set ``SECRET_KEY`` and ``ALLOWED_HOSTS``;
start-up fails loudly when they are missing. See README.md for every variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. List the host names that serve the app, comma-separated."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "mytho_security.admin.SiteAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "mytho_security.apps.AxesConfig",  # django-axes, named in Vietnamese
    "django_ratelimit",
    "csp",
    "wards",
    "models_registry",
    "campaigns",
    "campaigns.certifications",
    "campaigns.dashboard",
]

MIDDLEWARE = [
    # First: /healthz answers before the host check, the HTTPS redirect and the session, so a
    # load balancer or monitor can probe it by address (it reveals nothing but "ok").
    "mytho_security.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages shrink about sevenfold (a phone on 3G waits for them). BREACH: Django masks the CSRF
    # token afresh on every response, and pages echo no secret from the request.
    "django.middleware.gzip.GZipMiddleware",
    # Each request reads the figures version once (wards.figures).
    "wards.figures.RequestVersionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mytho_security.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Figures pages read from the replica when DATABASE_REPLICA_URL is set (see routers.py).
    "mytho_security.routers.ReplicaReadsMiddleware",
    # Last, as django-axes asks, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mytho_security.urls"
WSGI_APPLICATION = "mytho_security.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wards.context_processors.navigation",
                "wards.context_processors.notifications",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# SQLite file when DATABASE_URL is unset; PostgreSQL in production, e.g.
# DATABASE_URL=postgres://user:password@127.0.0.1:5432/mytho
DATABASES = {
    "default": dj_database_url.config(
        default="sqlite:///" + str(BASE_DIR / "db.sqlite3"),
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
# A PostgreSQL streaming replica (optional): the dashboard, the period review, its exports and the
# API read from it through mytho_security.routers.ReplicaRouter; everything else, every write,
# and the reads of a user who has just written (READ_PRIMARY_AFTER_WRITE_SECONDS) use "default".
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"),
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
DATABASE_ROUTERS = ["mytho_security.routers.ReplicaRouter"]
READ_PRIMARY_AFTER_WRITE_SECONDS = env_int("READ_PRIMARY_AFTER_WRITE_SECONDS", 10)
# URL namespaces whose GET requests read from the replica: dashboard, period review, exports, API.
REPLICA_READ_NAMESPACES = ["dashboard", "api"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
# Redis, shared by every application server, when REDIS_URL is set (e.g.
# redis://127.0.0.1:6379/0); local memory of each process otherwise (`make run`). The cached
# figures are keyed on a version kept in the database (wards.figures), so either is exact; with
# Redis stopped the pages are computed without the cache.
if env_str("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("REDIS_URL"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long a cached figure may stay unread before it is dropped (it is never stale: see above).
FIGURES_CACHE_SECONDS = env_int("FIGURES_CACHE_SECONDS", 3600)

# --- Accounts ---------------------------------------------------------------
AUTH_USER_MODEL = "wards.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after SESSION_COOKIE_AGE seconds (8 hours: one working day) and when the browser
# closes, so that a shared office computer does not stay logged in.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

# Lockout (django-axes): AXES_FAILURE_LIMIT failed logins for one user name, from whatever
# addresses, lock it for AXES_COOLOFF_MINUTES (an administrator can lift it in the admin).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
# Counted per user name and address and per user name alone: either reaching the limit locks.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
# Every failed login (user name, address, time) is kept for administrators: "Access failures"
# in the admin. Neither the user name nor the address is masked in the log, or nobody could
# tell who was attacked from where.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_SENSITIVE_PARAMETERS: list[str] = []

# Password reset requests (django-ratelimit) per client address and per e-mail address, so the
# form can neither flood a mailbox nor probe addresses in bulk. The counters live in the default
# cache: shared by every worker with Redis, per process with the local-memory cache.
PASSWORD_RESET_RATE_PER_ADDRESS = env_str("PASSWORD_RESET_RATE_PER_ADDRESS", "10/h")
PASSWORD_RESET_RATE_PER_EMAIL = env_str("PASSWORD_RESET_RATE_PER_EMAIL", "3/h")
# The local-memory cache is not shared between workers: the limits are then per process,
# which still bounds the requests (README, "Configuration").
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# Vietnamese dates as dd/mm/yyyy (Django's own "vi" formats use dashes).
FORMAT_MODULE_PATH = ["mytho_security.formats"]

# --- Static and media files -------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail -----------------------------------------------------------------
# Development prints e-mails (password reset links) to the console.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Where EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend writes each e-mail.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "antq@mytho.local")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [("Admin", a) for a in env_list("ADMIN_EMAILS")]
# Links in e-mails (notifications, reminders, digests) start with this address.
SITE_URL = env_str(
    "SITE_URL",
    "http://127.0.0.1:8000" if DEBUG or not ALLOWED_HOSTS else f"https://{ALLOWED_HOSTS[0]}",
).rstrip("/")
# Seconds before a mail server that does not answer counts as a failure (retried next run).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)

# --- Security ---------------------------------------------------------------
# Behind a reverse proxy that terminates HTTPS, set SECURE_PROXY_SSL_HEADER=1.
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere: every asset is a file under static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Uploads ----------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Logging ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        # WeasyPrint reports every CSS rule it skips (Bootstrap's screen-only ones): noise.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}

# Sections that other apps add to a unit's page (wards imports no other app; each template
# fetches its own data through its app's template tags).
UNIT_PAGE_SECTIONS = [
    "campaigns/_unit_section.html",
    "certifications/_unit_section.html",
    "models_registry/_unit_section.html",
    "dashboard/_unit_section.html",
]

# Map background: none by default (the intranet has no tile server and the outlines stand on
# their own). An intranet tile server may be set, e.g. https://tiles.mytho.local/{z}/{x}/{y}.png
MAP_TILE_URL = env_str("MAP_TILE_URL", "") or ""
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "") or ""
if MAP_TILE_URL and not MAP_TILE_URL.startswith(("https://", "http://", "/")):
    raise ImproperlyConfigured("MAP_TILE_URL must be an http(s) URL or a path on this site.")
if MAP_TILE_URL.startswith(("https://", "http://")):
    # The browser loads the tiles itself: let the Content-Security-Policy allow that server.
    _tiles = MAP_TILE_URL.split("/", 3)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles[0]}//{_tiles[2]}")

# Place printed before the date of official printouts ("Mỹ Tho, ngày … tháng … năm …").
DOCUMENT_PLACE = env_str("DOCUMENT_PLACE", "Mỹ Tho") or "Mỹ Tho"
