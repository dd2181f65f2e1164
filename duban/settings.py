"""Django settings for Duban.

Configuration comes from environment variables so that the same code runs the demo (SQLite, no
other server) and production (PostgreSQL). See README.md, "Production".
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DUBAN_VAR_DIR", BASE_DIR / "var"))

DEMO_SECRET_KEY = "demo-only-insecure-key-change-me"
SECRET_KEY = os.environ.get("DUBAN_SECRET_KEY", DEMO_SECRET_KEY)
# DEBUG is on only when asked for (scripts/demo.sh and the tests ask): a forgotten variable must
# not show tracebacks and settings to the intranet (issue 8, point 5).
DEBUG = os.environ.get("DUBAN_DEBUG", "0") == "1"
if not DEBUG and SECRET_KEY == DEMO_SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DUBAN_DEBUG=0 needs DUBAN_SECRET_KEY: the demo key is public")
SESSION_COOKIE_HTTPONLY = True
ALLOWED_HOSTS = [h for h in os.environ.get("DUBAN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "huey.contrib.djhuey",
    "ninja",  # serves its bundled Swagger UI, so /api/v1/docs works offline
    "duban.orgs",
    "duban.deadlines",
    "duban.items",
    "duban.urging",
    "duban.notify",
    "duban.ledgers",
    "duban.dashboard",
    "duban.circulars",
    "duban.accountability",
    "duban.assessment",
    "duban.proposals",
    "duban.portal",
    "duban.documents",
    "duban.inspections",
    "duban.surveys",
    "duban.web",
    "duban.api",
    "duban.ops",  # health, metrics, backups and the move to PostgreSQL (no models)
    "duban.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "duban.urls"

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
            ],
        },
    },
    {
        # The hot fragments (duban/web/jinja.py): rows and records rendered many times a page.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "duban.web.jinja.environment", "autoescape": True},
    },
]

# Form widgets render through Jinja2 (Django's own widget templates in their Jinja2 form): a
# select's options are one loop instead of an include per option, a third of the time per widget
# on pages that carry forty of them (issue 13, point 1). The admin's own widgets fall back to Django.
FORM_RENDERER = "duban.web.jinja.WidgetRenderer"

WSGI_APPLICATION = "duban.wsgi.application"


def _database_from_url(url: str) -> dict:
    """DATABASE_URL=postgres://user@host:5432/name; anything else means the embedded SQLite."""
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"unsupported DATABASE_URL scheme: {parsed.scheme}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 60,
        # Planner choices that cost a web request more than they save (bench/README.md):
        # - JIT compiles queries whose estimated cost passes 100,000: 6-10 ms (up to 200 ms in other
        #   plans) spent on queries that run in 5-60 ms;
        # - parallel workers start slower than the 10-20 ms counts they would share, and under many
        #   users every CPU is already busy with a request (the busiest leader's count: 15 -> 11 ms);
        # - a Memoize cache in front of a unit's items never hits (a unit's assignments name each item
        #   once): the unit's count 18 -> 14 ms.
        "OPTIONS": {"options": "-c jit=off -c max_parallel_workers_per_gather=0 -c enable_memoize=off"},
    }


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": _database_from_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "duban.sqlite3",
            # Writers wait for each other instead of failing with "database is locked".
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }

AUTH_USER_MODEL = "orgs.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# ---------------------------------------------------------------------------------------------
# Sign-in and audit (issue 8, points 3, 4 and 6; docs/architecture.md "Security"). One block so
# that other security settings (CSP, HSTS, DEBUG) merge beside it without touching it.
# ---------------------------------------------------------------------------------------------
INSTALLED_APPS += [
    "axes",  # counts failed logins, locks out guessers
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes
    "simple_history",  # who changed which rule, ladder, unit or person, and how
    "duban.accounts",
]
MIDDLEWARE += [
    "django_otp.middleware.OTPMiddleware",
    "duban.accounts.middleware.SecondFactorMiddleware",
    "duban.accounts.middleware.IdleSessionMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the 429 page
]
AUTHENTICATION_BACKENDS = [
    "duban.accounts.backends.LockoutBackend",  # first: refuses a locked-out account or address
    "duban.accounts.backends.PeopleBackend",  # ModelBackend, reading the person with org and unit
    # Sessions opened before PeopleBackend named ModelBackend: kept so that they stay signed in.
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout (django-axes): per account and, separately, per address.
AXES_FAILURE_LIMIT = int(os.environ.get("DUBAN_LOCKOUT_FAILURES", 5))
DUBAN_LOCKOUT_MINUTES = int(os.environ.get("DUBAN_LOCKOUT_MINUTES", 15))
AXES_COOLOFF_TIME = DUBAN_LOCKOUT_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# A locked-out guesser does not push the end of the lockout further by guessing on: the page can
# then say truthfully when to try again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "duban.accounts.lockout.lockout_response"
AXES_ENABLE_ADMIN = False  # duban.accounts registers a Chinese-labelled admin instead
AXES_VERBOSE = False
# Behind N reverse proxies set DUBAN_PROXY_COUNT=N: the address is then read from X-Forwarded-For.
DUBAN_PROXY_COUNT = int(os.environ.get("DUBAN_PROXY_COUNT", 0))
AXES_CLIENT_IP_CALLABLE = "duban.accounts.lockout.client_address"

# Idle sessions end: a signed-in session's end is renewed by its requests, at most once a minute
# (duban.accounts.middleware.IdleSessionMiddleware), not written on every request.
DUBAN_SESSION_IDLE_MINUTES = int(os.environ.get("DUBAN_SESSION_IDLE_MINUTES", 30))
DUBAN_SESSION_RENEW_SECONDS = 60
SESSION_COOKIE_AGE = DUBAN_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Two-factor (django-otp): the issuer shown in the authenticator app.
OTP_TOTP_ISSUER = os.environ.get("DUBAN_OTP_ISSUER", "督办系统")
DUBAN_RECOVERY_CODES = 10

# Sign-in with the organisation's identity provider (OpenID Connect), on when DUBAN_OIDC_CLIENT_ID
# is set. The provider's user is matched to a person by one claim; nobody is created.
DUBAN_OIDC_ENABLED = bool(os.environ.get("DUBAN_OIDC_CLIENT_ID"))
DUBAN_OIDC_LABEL = os.environ.get("DUBAN_OIDC_LABEL", "统一身份认证")
DUBAN_OIDC_CLAIM = os.environ.get("DUBAN_OIDC_CLAIM", "preferred_username")
DUBAN_OIDC_USER_FIELD = os.environ.get("DUBAN_OIDC_USER_FIELD", "username")
OIDC_RP_CLIENT_ID = os.environ.get("DUBAN_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("DUBAN_OIDC_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("DUBAN_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("DUBAN_OIDC_SCOPES", "openid profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("DUBAN_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("DUBAN_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("DUBAN_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("DUBAN_OIDC_JWKS_ENDPOINT", "") or None
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = "/login/"
if DUBAN_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("duban.accounts.backends.OrganisationOIDCBackend")

# Directory sign-in (LDAP / Active Directory through django-auth-ldap), on when
# DUBAN_LDAP_SERVER_URI is set; needs requirements-ldap.txt. The directory checks the password of
# a person who already exists here (same username); nobody is created.
DUBAN_LDAP_ENABLED = bool(os.environ.get("DUBAN_LDAP_SERVER_URI"))
if DUBAN_LDAP_ENABLED:
    from duban.accounts.ldap import ldap_settings

    globals().update(ldap_settings(os.environ))
    AUTHENTICATION_BACKENDS.append("duban.accounts.ldap.DirectoryBackend")
# --------------------------------------------------------------------------------------------- end

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
# Attachments are never served from MEDIA_URL: every download goes through a permission check.

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Attachments: what a unit may upload (issue 2, "Attachments").
DUBAN_ATTACHMENT_MAX_BYTES = int(os.environ.get("DUBAN_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))
DUBAN_ATTACHMENT_EXTENSIONS = [
    "pdf", "doc", "docx", "wps", "ofd", "xls", "xlsx", "et", "ppt", "pptx",
    "txt", "jpg", "jpeg", "png", "zip", "rar",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# API tokens live this long (days).
DUBAN_API_TOKEN_DAYS = int(os.environ.get("DUBAN_API_TOKEN_DAYS", 30))

EMAIL_BACKEND = os.environ.get("DUBAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("DUBAN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DUBAN_EMAIL_PORT", 25))
DEFAULT_FROM_EMAIL = os.environ.get("DUBAN_FROM_EMAIL", "duban@localhost")

# Background work (reminders, escalation, notifications): huey. The demo needs no server (a
# SQLite queue in var/); production sets DUBAN_QUEUE=redis or postgres and runs
# `manage.py run_huey` on as many machines as it likes. Tests run tasks inline.
DUBAN_QUEUE = os.environ.get("DUBAN_QUEUE", "sqlite")
HUEY = {
    "name": "duban",
    "immediate": os.environ.get("DUBAN_QUEUE_IMMEDIATE", "0") == "1",
    "utc": True,
    "consumer": {"workers": int(os.environ.get("DUBAN_QUEUE_WORKERS", 2)), "worker_type": "thread"},
}
if DUBAN_QUEUE == "redis":
    HUEY |= {"huey_class": "huey.RedisHuey", "url": os.environ.get("DUBAN_REDIS_URL", "redis://localhost:6379/0")}
elif DUBAN_QUEUE == "postgres":
    HUEY |= {"huey_class": "huey.PostgresHuey", "dsn": os.environ.get("DUBAN_QUEUE_DSN", os.environ.get("DATABASE_URL", ""))}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "queue.sqlite3")}
if DUBAN_QUEUE not in ("redis", "postgres") or not os.environ.get("DATABASE_URL"):
    # The SQLite queue and database open files in var/ as soon as Django starts (the queue at
    # import): a fresh clone's first `manage.py migrate` failed with "unable to open database file".
    VAR_DIR.mkdir(parents=True, exist_ok=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# ---------------------------------------------------------------------------------------------
# Headers and defaults (issue 8, point 5; docs/architecture.md "Security" › "Headers and defaults").
# ---------------------------------------------------------------------------------------------
# HTTPS: with DEBUG off it is assumed (DUBAN_HTTPS=1 by default): cookies only over HTTPS, every
# plain-HTTP request redirected, and browsers told to come back over HTTPS only (HSTS). A
# plain-HTTP intranet sets DUBAN_HTTPS=0 and gets none of these.
DUBAN_HTTPS = not DEBUG and os.environ.get("DUBAN_HTTPS", "1") == "1"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = DUBAN_HTTPS
# SQLite has no covering indexes: items' item_org_visibility is a plain index there (W040 says so).
SILENCED_SYSTEM_CHECKS = ["models.W040"]
if DUBAN_HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DUBAN_HSTS_SECONDS", 365 * 24 * 3600))
    # Sibling hosts under the organisation's domain and the browsers' preload list are not this
    # application's to decide: both are off unless asked for, and check --deploy is told so.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("DUBAN_HSTS_INCLUDE_SUBDOMAINS", "0") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("DUBAN_HSTS_PRELOAD", "0") == "1"
    SILENCED_SYSTEM_CHECKS += [
        *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
        *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    ]
# Behind a web server that ends TLS (README, "Production"), the request reaches Django over plain
# HTTP; the web server says the original scheme in X-Forwarded-Proto. Trusted only when told a
# proxy is in front (the same variable tells django-axes where the client's address is).
if os.environ.get("DUBAN_PROXY_COUNT"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts and styles come from this site only; no inline
# script or event handler exists in the templates (tests/security/test_headers.py scans them).
# htmx 2 injects one <style> for its indicators unless told not to: templates/web/base.html sets
# htmx.config.includeIndicatorStyles=false in a <meta name="htmx-config"> and static/web/app.css
# carries the two rules, so style-src needs no 'unsafe-inline' for htmx.
# Inline style="" attributes (Bootstrap-styled templates use a few) remain allowed through
# 'unsafe-inline' in style-src-attr only: they cannot run script.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Photos and videos (issue 12): what may be uploaded, per kind, and how large. Each limit can be
# set by environment variable (bytes). Nothing else (no HTML, no SVG) is accepted at all.
DUBAN_MEDIA_LIMITS = {
    "photo": {
        "max_bytes": int(os.environ.get("DUBAN_MEDIA_PHOTO_MAX_BYTES", 20 * 1024 * 1024)),
        "extensions": {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"},
    },
    "video": {
        "max_bytes": int(os.environ.get("DUBAN_MEDIA_VIDEO_MAX_BYTES", 100 * 1024 * 1024)),
        "extensions": {"mp4": "video/mp4", "mov": "video/quicktime", "webm": "video/webm", "3gp": "video/3gpp"},
    },
}
DUBAN_MEDIA_DISPLAY_PX = 2048  # the longer side of the copy shown outside the office
DUBAN_MEDIA_THUMB_PX = 320

# Media and attachments go through Django's storage API: local files under MEDIA_ROOT by default.
# With DUBAN_S3_BUCKET set, django-storages stores them in any S3-compatible object store
# (docs/architecture.md, "Evidence from the field"); files are still served only through views
# that check permissions, never from a public bucket URL.
if os.environ.get("DUBAN_S3_BUCKET"):
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ["DUBAN_S3_BUCKET"],
                "endpoint_url": os.environ.get("DUBAN_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("DUBAN_S3_REGION") or None,
                "access_key": os.environ.get("DUBAN_S3_ACCESS_KEY") or None,
                "secret_key": os.environ.get("DUBAN_S3_SECRET_KEY") or None,
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

# ---------------------------------------------------------------------------------------------
# Operations and scale-out (issue 13, points 4 and 5; docs/architecture.md "Production and
# scale-out"; deploy/).
# ---------------------------------------------------------------------------------------------
# Outermost middleware: the latency histogram times what the client waits for.
MIDDLEWARE.insert(0, "duban.ops.middleware.RequestLatencyMiddleware")
# /metrics answers addresses (or networks) listed here, or a bearer token when one is set: scrape
# each web machine's gunicorn directly with the token, or from the machine itself.
DUBAN_METRICS_ALLOWED = [a for a in os.environ.get("DUBAN_METRICS_ALLOWED", "127.0.0.1,::1").split(",") if a]
DUBAN_METRICS_TOKEN = os.environ.get("DUBAN_METRICS_TOKEN", "")
# A load balancer probes each web machine's gunicorn over plain HTTP, and Prometheus scrapes it the
# same way: neither follows the HTTPS redirect. Both answers hold no personal data (metrics need the
# address or token above). Patterns match the path without its leading slash.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
# Several web machines share one cache when DUBAN_CACHE_URL names a Redis database. Give it its own
# database number (e.g. redis://cache:6379/1): cache.clear() empties the whole database, and must
# never take the queue's tasks with it. Without it each process keeps its own memory cache, which
# is enough today (nothing shared lives in the cache: django-axes counts failures in the database,
# the portal throttles from the database, sessions are in the database).
if os.environ.get("DUBAN_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["DUBAN_CACHE_URL"],
            "KEY_PREFIX": "duban",
        }
    }
# Sessions stay in the database (django.contrib.sessions' default), shared by every web machine:
# a Redis restart must not sign everyone out, and the idle limit writes a session at most once a
# minute (IdleSessionMiddleware), so cached_db would save little.
# --------------------------------------------------------------------------------------------- end
