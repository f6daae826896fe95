"""Settings come from environment variables only (see docs/operations.md).

Every variable has a default that is safe for one machine: SQLite under the data
directory, an in-memory channel layer, a secret key generated once and kept in the
data directory, DEBUG off, mail printed to the console.
"""

from __future__ import annotations

import os
import secrets
import sys
import warnings
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from tiski.config import email_settings_from_url, env_bool, env_gc_threshold, env_list

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("TISKI_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
TESTING = "pytest" in sys.modules or os.environ.get("TISKI_TESTING") == "1"


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    # One machine, no configuration: keep a generated key beside the database so
    # sessions and signed tokens survive restarts.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("TISKI_DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
# The desk's public address, for links that leave the page (the help center's canonical
# links and sitemap, links agents paste into replies). Without it, where `tiski run`
# listens on this machine.
_HOST, _PORT = os.environ.get("TISKI_HOST", "127.0.0.1"), os.environ.get("TISKI_PORT", "8000")
_LISTEN = f"http://{_HOST}:{_PORT}"
BASE_URL = os.environ.get("TISKI_BASE_URL", _LISTEN).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "tiski.core",
    "tiski.stores",
    "tiski.agents",
    "tiski.contacts",
    "tiski.conversations",
    "tiski.chat",
    "tiski.mail",
    "tiski.shop",
    "tiski.helpcenter",
    "tiski.returns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tiski.helpcenter.domains.HelpDomainMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tiski.agents.middleware.AgentLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tiski.urls"
ASGI_APPLICATION = "tiski.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tiski" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'tiski.sqlite3'}")
_db: dict[str, Any] = dict(dj_database_url.parse(DATABASE_URL, conn_max_age=60))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        # WAL lets readers run beside the single writer; IMMEDIATE takes the write
        # lock at BEGIN so two writers queue instead of failing on lock upgrade.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory: browser tests serve the app from another thread.
    _db["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    # Under ASGI every request would otherwise open a new connection (~6 ms); a pool
    # per process keeps them. The pool replaces persistent connections.
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        "pool": {
            "min_size": int(os.environ.get("TISKI_DB_POOL_MIN", "2")),
            "max_size": int(os.environ.get("TISKI_DB_POOL_MAX", "20")),
            "timeout": 10,
        }
    }
    # A throwaway database per test run, never the shared one named in the URL.
    _db["TEST"] = {"NAME": f"tiski_test_{os.getpid()}"}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- realtime, cache, tasks -----------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
# Keeps several desks (or test runs) on one Redis apart.
REDIS_PREFIX = os.environ.get("TISKI_REDIS_PREFIX", "tiski")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": REDIS_PREFIX, "capacity": 1000},
        }
    }
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_PREFIX,
        }
    }
else:
    # A busy agent's socket may fall behind for a moment; 100 (the default) drops events.
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "tiski.core.layers.LocalChannelLayer", "CONFIG": {"capacity": 1000}}
    }
    # Every open chat keeps a key here (tiski.chat.presence); the default limit of 300
    # would cull them and send replies to customers still in the chat by email.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 200_000},
        }
    }

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- auth -----------------------------------------------------------------------------

AUTH_USER_MODEL = "agents.Agent"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inbox"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Per-message deflate on websockets. Chat frames are a few hundred bytes: compressing
# them saves little and costs CPU and a compressor per connection (see docs/chat.md).
WS_PER_MESSAGE_DEFLATE = env_bool("TISKI_WS_DEFLATE", default=False)
# The garbage collector's thresholds in the server process (gc.set_threshold). Python's
# default (700, 10, 10) runs a young collection for every 700 objects the process grows
# by; with a few thousand sockets each busy second promotes in-flight messages into the
# oldest generation and triggers full passes over every connection's objects (about 0.5 s
# each at 4,000 sockets). Objects freed by reference counting never count, so a larger
# first threshold only delays the collection of reference cycles. See docs/operations.md.
GC_THRESHOLD = env_gc_threshold("TISKI_GC_THRESHOLD", default=(50_000, 20, 10))
# Messages a chat visitor may send: a burst, then this many a second (a person typing).
CHAT_MESSAGE_BURST = int(os.environ.get("TISKI_CHAT_MESSAGE_BURST", "10"))
CHAT_MESSAGE_RATE = float(os.environ.get("TISKI_CHAT_MESSAGE_RATE", "1"))
# New chat connections and sessions per client address per minute.
CHAT_CONNECTIONS_PER_MINUTE = int(os.environ.get("TISKI_CHAT_CONNECTIONS_PER_MINUTE", "120"))
CHAT_SESSIONS_PER_MINUTE = int(os.environ.get("TISKI_CHAT_SESSIONS_PER_MINUTE", "60"))
# Failed logins allowed per address and per account within LOGIN_RATE_WINDOW seconds.
LOGIN_RATE_LIMIT = int(os.environ.get("TISKI_LOGIN_RATE_LIMIT", "10"))
LOGIN_RATE_WINDOW = int(os.environ.get("TISKI_LOGIN_RATE_WINDOW", "900"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("TISKI_HTTPS", default=False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- languages ------------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fi", _("Finnish")),
    ("pl", _("Polish")),
    ("sv", _("Swedish")),
]
LOCALE_PATHS = [BASE_DIR / "tiski" / "locale"]
FORMAT_MODULE_PATH = ["tiski.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TISKI_TIME_ZONE", "Europe/Helsinki")

# --- files ----------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start when it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("TISKI_MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the app folders: no collectstatic step before the first run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Hard limits for anything a customer or an integration uploads.
MAX_ATTACHMENT_BYTES = int(os.environ.get("TISKI_MAX_ATTACHMENT_BYTES", str(20 * 1024 * 1024)))
MAX_MESSAGE_CHARS = 50_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- email ----------------------------------------------------------------------------

# The inbound SMTP (or LMTP) listener of `tiski run`: off unless a port is given.
SMTP_PORT = int(os.environ.get("TISKI_SMTP_PORT", "0"))
SMTP_HOST = os.environ.get("TISKI_SMTP_HOST", "127.0.0.1")
SMTP_LMTP = os.environ.get("TISKI_SMTP_LMTP", "") == "1"
# How often the task worker reads the stores' IMAP mailboxes whose server has no IDLE.
IMAP_POLL_SECONDS = float(os.environ.get("TISKI_IMAP_POLL_SECONDS", "60"))
# How long one IDLE lasts before it is ended and issued again. RFC 2177: a server may
# log out a client idle for 30 minutes, so re-issue within 29 (capped there).
IMAP_IDLE_SECONDS = min(float(os.environ.get("TISKI_IMAP_IDLE_SECONDS", "1500")), 29 * 60.0)
# Larger mails are refused at the door (552), before anything is stored.
MAX_MAIL_BYTES = int(os.environ.get("TISKI_MAX_MAIL_BYTES", str(50 * 1024 * 1024)))
# Acknowledgements of new email (Store.acknowledge_email) one customer gets per hour
# from one store; beyond that their new mails are not acknowledged (a loop breaker).
MAIL_AUTOREPLY_PER_HOUR = int(os.environ.get("TISKI_MAIL_AUTOREPLY_PER_HOUR", "3"))

_email = email_settings_from_url(os.environ.get("EMAIL_URL", "console://"))
EMAIL_BACKEND = _email.backend
EMAIL_HOST = _email.host
EMAIL_PORT = _email.port
EMAIL_HOST_USER = _email.user
EMAIL_HOST_PASSWORD = _email.password
EMAIL_USE_TLS = _email.use_tls
EMAIL_USE_SSL = _email.use_ssl
EMAIL_FILE_PATH = _email.file_path or str(DATA_DIR / "sent-mail")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tiski <tiski@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- logging --------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TISKI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # One line per task run drowns everything else; failures still log as errors.
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}

# Django serves files (static, attachments) under ASGI by reading their sync iterator;
# it says so on every response. Expected here, and not worth a line per file.
warnings.filterwarnings(
    "ignore", message="StreamingHttpResponse must consume synchronous iterators"
)

if TESTING:
    # Server threads in browser tests must not keep connections to the test database
    # open, or it cannot be dropped at the end of the run.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Argon2 is deliberately slow; tests that check hashing override this back.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    LOGGING["root"]["level"] = "WARNING"  # type: ignore[index]
