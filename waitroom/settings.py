"""Waitroom's one settings module, driven by the environment.

Every variable is documented in .env.example. With DEBUG off the module refuses to start on a
missing or unsafe value rather than run with a guess: see `_require` below.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A developer's .env, if there is one; real deployments set the environment directly.
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")


def _strict_bool(name: str, default: bool) -> bool:
    """environ's bool() reads any unknown word as False; a typo here must stop start-up."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


DEBUG = _strict_bool("DEBUG", default=False)

_DEV_SECRET_KEY = "insecure-development-key-for-make-run-only"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The public address of the site, used in every link a message, email, poster or calendar feed
# carries. Unset, it follows PORT (the port `make run` serves the demo on, default 8000), so the
# links in the demo's outbox open the demo itself.
PORT = env.int("PORT", default=8000)
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ImproperlyConfigured(message)


if not DEBUG:
    _require(bool(SECRET_KEY), "SECRET_KEY must be set when DEBUG is off.")
    _require(
        SECRET_KEY != _DEV_SECRET_KEY and len(SECRET_KEY) >= 50,
        "SECRET_KEY must be a random string of at least 50 characters when DEBUG is off.",
    )
    _require(bool(ALLOWED_HOSTS), "ALLOWED_HOSTS must name this site's host when DEBUG is off.")
    _require(
        SITE_URL.startswith("https://"), "SITE_URL must be an https:// address when DEBUG is off."
    )

INSTALLED_APPS = [
    "waitroom.admin_site.WaitroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "django_htmx",
    "waitroom",
    "groups",
    "sessions.apps.WaitingRoomSessionsConfig",
    "sessions.invitations.apps.InvitationsConfig",
    "sessions.facilitation.apps.FacilitationConfig",
    "sessions.imports.apps.ImportsConfig",
    "sessions.feedback.apps.FeedbackConfig",
    "sessions.measures.apps.MeasuresConfig",
    "sessions.alignment.apps.AlignmentConfig",
    "resources",
    # The demo data and its commands (seed_demo, sample_appointments); nothing imports it.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "waitroom.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, which answers static files itself (precompressed at collectstatic).
    # Pages are compressed when the browser asks; Django's GZip pads each response with random
    # bytes (BREACH mitigation) and CSRF tokens are masked anew on every response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "waitroom.urls"
WSGI_APPLICATION = "waitroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "waitroom.context_processors.service",
            ],
        },
    },
]

# Database: a SQLite file for `make run`, PostgreSQL (through psycopg2) in tests and production.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's SQLite file, shared by everyone trying the demo at once: write-ahead logging so
    # readers never block the writer; every transaction takes the write lock when it begins
    # (IMMEDIATE), so two sign-ins queue for up to 20 seconds instead of one failing at once with
    # "database is locked" when both read and then try to write.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
if not DEBUG:
    _require(
        DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql",
        "DATABASE_URL must point at PostgreSQL (postgres://...) when DEBUG is off.",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "waitroom.User"
# allauth's backend alone (it extends ModelBackend, so permissions work as usual): with both,
# every failed sign-in hashed a password twice. The admin signs in through allauth too.
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Redis carries the Celery broker and the cache (allauth's rate limits need a shared cache).
REDIS_URL = env.str("REDIS_URL", default="")
if not DEBUG:
    _require(bool(REDIS_URL), "REDIS_URL must be set when DEBUG is off.")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery. With no broker (the `make run` default) tasks run in-process, so the demo needs no
# services; see docs/adr/0005-celery-in-process-without-broker.md.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
# Tasks are never scheduled further ahead than this with ETA/countdown: the database holds
# what must happen later, and a dispatcher picks it up (see the design's reliability rules).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULE: dict = {}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development WhiteNoise serves straight from the app folders; production serves the
# fingerprinted files `collectstatic` wrote.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "waitroom.static_storage.WaitroomStaticFilesStorage"
        )
    },
}

# Email: the console in development; SMTP in production (GOV.UK Notify comes with invitations).
EMAIL_BACKEND_PATH = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env.str("EMAIL_HOST", default="localhost"),
        "port": env.int("EMAIL_PORT", default=25),
        "username": env.str("EMAIL_HOST_USER", default=""),
        "password": env.str("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=False),
    }
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Waitroom <waitroom@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Sign-in (django-allauth): email only; members sign in by an emailed code, staff may use a
# password; nobody signs up on their own (see waitroom.adapters.AccountAdapter).
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "waitroom.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 300
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Sign-ins end when the browser closes: phones are often shared.
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_FORMS = {
    "login": "waitroom.account_forms.LoginForm",
    "request_login_code": "waitroom.account_forms.RequestLoginCodeForm",
    "confirm_login_code": "waitroom.account_forms.ConfirmLoginCodeForm",
}
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS_ENABLED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Waitroom: "

CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)
CRISPY_TEMPLATE_PACK = "nhsuk"
CRISPY_FAIL_SILENTLY = not DEBUG

# Security. Production runs behind TLS; check --deploy passes with these (see tests).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
# The same user shown the same woman on the same list (a run sheet) within this long is
# audited once, not at every refresh (ADR 0034).
AUDIT_REPEAT_VIEW_WINDOW_SECONDS = env.int("AUDIT_REPEAT_VIEW_WINDOW_SECONDS", default=15 * 60)
SECURE_SSL_REDIRECT = _strict_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies (addresses or networks) in front of the site whose X-Forwarded-For is believed;
# empty: nobody's, and the connecting address is the client's. Used by the audit trail and the
# sign-in rate limits alike: waitroom/client_address.py, docs/adr/0014-client-address-...
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
try:
    from waitroom.client_address import parse_trusted_proxies

    parse_trusted_proxies(TRUSTED_PROXIES)
except ValueError as error:
    raise ImproperlyConfigured(
        f"TRUSTED_PROXIES must be IP addresses or networks (like 10.0.0.0/8): {error}"
    ) from None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Every script and stylesheet is our own static file: no inline script anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Powerful browser features no Waitroom page uses: refused for every page and any frame
# (waitroom/middleware.py). A member scans the check-in QR code with her phone's own camera app.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

ADMIN_URL = env.str("ADMIN_URL", default="admin/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Invitations and messaging (sessions/invitations, waitroom/messaging; docs in .env.example) ---
# How messages go: "outbox" (the demo: nothing leaves, staff read them in the app), "notify"
# (GOV.UK Notify SMS and email) or "email" (Django's mail backend above, email only).
# With DEBUG off it must be chosen: a live site that silently kept messages in the app would
# leave women uninvited.
MESSAGE_CHANNEL = env.str("MESSAGE_CHANNEL", default="outbox" if DEBUG else "")
_require(
    MESSAGE_CHANNEL in {"outbox", "notify", "email"},
    "MESSAGE_CHANNEL must be outbox, notify or email.",
)
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
# Notify templates whose content is ((body)) (email subject ((subject))): the words are ours.
NOTIFY_SMS_TEMPLATE_ID = env.str("NOTIFY_SMS_TEMPLATE_ID", default="")
NOTIFY_EMAIL_TEMPLATE_ID = env.str("NOTIFY_EMAIL_TEMPLATE_ID", default="")
# The bearer token Notify sends with delivery receipts and inbound texts (set in Notify's API
# integration settings); compared in constant time.
NOTIFY_CALLBACK_TOKEN = env.str("NOTIFY_CALLBACK_TOKEN", default="")
NOTIFY_TIMEOUT_SECONDS = env.float("NOTIFY_TIMEOUT_SECONDS", default=10.0)
if MESSAGE_CHANNEL == "notify":
    _require(
        bool(NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID and NOTIFY_EMAIL_TEMPLATE_ID),
        "MESSAGE_CHANNEL=notify needs NOTIFY_API_KEY, NOTIFY_SMS_TEMPLATE_ID and "
        "NOTIFY_EMAIL_TEMPLATE_ID.",
    )
    _require(
        len(NOTIFY_CALLBACK_TOKEN) >= 32,
        "MESSAGE_CHANNEL=notify needs NOTIFY_CALLBACK_TOKEN of at least 32 characters.",
    )
# Under Notify's 3,000 a minute, shared by all workers through Redis.
MESSAGE_RATE_PER_MINUTE = env.int("MESSAGE_RATE_PER_MINUTE", default=2940)
# After a 429 from Notify every worker holds back this long (the whole queue slows down).
MESSAGE_RATE_PAUSE_SECONDS = env.float("MESSAGE_RATE_PAUSE_SECONDS", default=5.0)
# Transient failures retry after base * 2**attempt seconds (with jitter), at most MAX times;
# never further ahead than the broker's visibility timeout.
MESSAGE_RETRY_BASE_SECONDS = env.float("MESSAGE_RETRY_BASE_SECONDS", default=30.0)
MESSAGE_RETRY_MAX = env.int("MESSAGE_RETRY_MAX", default=6)
# A message queued this long ago and still pending was lost with the broker: queue it again.
MESSAGE_REQUEUE_AFTER_SECONDS = env.int("MESSAGE_REQUEUE_AFTER_SECONDS", default=600)
# ...or after only this long when the broker holds fewer tasks than such rows: it lost them.
MESSAGE_LOST_AFTER_SECONDS = env.int("MESSAGE_LOST_AFTER_SECONDS", default=15)
# A send claimed this long ago and never finished: its worker died; the dispatcher recovers it.
MESSAGE_STALE_CLAIM_SECONDS = env.int("MESSAGE_STALE_CLAIM_SECONDS", default=300)
# The sender claims, sends and marks sent this many due messages at a time (one task each),
# through this many threads per worker process, each keeping one Notify connection open.
MESSAGE_SEND_BATCH = env.int("MESSAGE_SEND_BATCH", default=200)
MESSAGE_SEND_THREADS = env.int("MESSAGE_SEND_THREADS", default=8)

from sessions.invitations.schedule import INVITATION_BEAT_SCHEDULE  # noqa: E402

CELERY_BEAT_SCHEDULE.update(INVITATION_BEAT_SCHEDULE)

from sessions.feedback.schedule import FEEDBACK_BEAT_SCHEDULE  # noqa: E402

CELERY_BEAT_SCHEDULE.update(FEEDBACK_BEAT_SCHEDULE)
