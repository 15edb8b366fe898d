"""The one settings module of Teilhabe.

Everything that differs between a laptop, CI and production comes from environment
variables with the ``TEILHABE_`` prefix (plus the conventional ``DATABASE_URL``).
Bad values fail loudly at start-up instead of being silently replaced by defaults.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
PREFIX = "TEILHABE_"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(PREFIX + name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(PREFIX + name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{PREFIX}{name} must be one of {sorted(_TRUE | _FALSE)}, got {raw!r}"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(PREFIX + name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{PREFIX}{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(PREFIX + name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# Production is the safe default: a deployment that forgets to configure itself
# refuses to start rather than running with debug pages and a throwaway key.
DEBUG = env_bool("DEBUG", False)
ENVIRONMENT = env_str("ENVIRONMENT", "development" if DEBUG else "production")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"{PREFIX}ENVIRONMENT must be development, test or production, got {ENVIRONMENT!r}"
    )
IS_PRODUCTION = ENVIRONMENT == "production"
if IS_PRODUCTION and DEBUG:
    # Debug pages show settings, SQL with its parameters and every URL pattern to anyone.
    raise ImproperlyConfigured(
        f"{PREFIX}DEBUG=true is refused in production: debug pages show settings, "
        f"SQL and personal data to every visitor "
        f"(set {PREFIX}ENVIRONMENT=development for a local installation)"
    )

VAR_DIR = Path(env_str("VAR_DIR", str(PROJECT_DIR / "var"))).resolve()


def _private_var_dir() -> Path:
    """VAR_DIR holds the SQLite database and the generated key: for this account's eyes only."""
    VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    VAR_DIR.chmod(0o700)
    return VAR_DIR


def _keep_private(path: Path) -> None:
    """Make a file an older version left readable to others readable by its owner only."""
    if path.exists() and path.stat().st_mode & 0o077:
        path.chmod(0o600)


def _secret_key() -> str:
    configured = env_str("SECRET_KEY")
    if configured:
        if len(configured) < 32:
            raise ImproperlyConfigured(f"{PREFIX}SECRET_KEY must be at least 32 characters long")
        return configured
    if IS_PRODUCTION:
        raise ImproperlyConfigured(
            f"{PREFIX}SECRET_KEY is required in production "
            f"(set {PREFIX}ENVIRONMENT=development for a local installation)"
        )
    # Outside production a key is generated once and kept, so sessions survive restarts.
    key_file = _private_var_dir() / "secret_key"
    if not key_file.exists():
        # Created 0600 from the start: no moment in which another account could read it.
        with os.fdopen(os.open(key_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600), "w") as f:
            f.write(secrets.token_urlsafe(50))
    _keep_private(key_file)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if IS_PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # The admin site goes through the app's login, throttle, second factor and audit.
    "teilhabe.accounts.admin_site.TeilhabeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "teilhabe.core",
    "teilhabe.accounts",
    "teilhabe.audit",
    "teilhabe.programmes",
    "teilhabe.budgets",
    "teilhabe.participants",
    "teilhabe.cases",
    "teilhabe.reports",
    "teilhabe.privacy",
    "teilhabe.demo",
]

MIDDLEWARE = [
    "teilhabe.core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "teilhabe.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "teilhabe.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "teilhabe.urls"
WSGI_APPLICATION = "teilhabe.wsgi.application"

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
                "teilhabe.accounts.context_processors.account_links",
            ],
        },
    },
]


def _databases() -> dict[str, dict[str, object]]:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        if not url.startswith(("postgres://", "postgresql://")):
            raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://…)")
        config = dict(dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60)))
        config["CONN_HEALTH_CHECKS"] = True
        # No JIT compilation: the access policy's filters (an OR over correlated EXISTS) are
        # costed high enough to be compiled, which took 210–380 ms per query on 100,000
        # people where running it takes 20–90 ms (benchmarks/RESULTS.md); the reports run
        # no slower without it.
        given = config.get("OPTIONS")
        options: dict[str, object] = dict(given) if isinstance(given, dict) else {}
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
        config["OPTIONS"] = options
        return {"default": config}
    configured = env_str("SQLITE_PATH")
    path = Path(configured) if configured else _private_var_dir() / "teilhabe.sqlite3"
    # SQLite would create the database 0644 and gives its -wal and -shm files the database
    # file's mode; an empty file created 0600 before SQLite opens it keeps all three private.
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        _keep_private(path.with_name(name))
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "OPTIONS": {
                # WAL lets the demo server read while a command writes; IMMEDIATE avoids
                # "database is locked" when two writers meet inside transactions.
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:start"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Two-factor login (TOTP with recovery codes) for everyone who works with personal data.
# Demo persona accounts may skip it, but never in production (accounts.selectors).
TEILHABE_REQUIRE_2FA = env_bool("REQUIRE_2FA", True)
OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "Teilhabe")
# Invitations to staff accounts and password reset links stay valid this long.
TEILHABE_INVITATION_DAYS = env_int("INVITATION_DAYS", 7)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_SECONDS", 60 * 60 * 2)

# Mail: printed to the console on a laptop, kept in memory in tests, SMTP in production.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Teilhabe <teilhabe@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if IS_PRODUCTION:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
elif ENVIRONMENT == "test":
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Production serves collected files; elsewhere WhiteNoise reads them straight from the apps.
STATIC_ROOT: Path | None = (
    Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
    if IS_PRODUCTION or env_str("STATIC_ROOT")
    else None
)
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_AGE_SECONDS", 8 * 60 * 60)
SESSION_COOKIE_SECURE = IS_PRODUCTION
CSRF_COOKIE_SECURE = IS_PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000)
    # Teilhabe runs on a host name of its own; its subdomains are HTTPS-only as well.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
# Preloading binds the whole registrable domain (the city's, usually) for months; it is the
# domain owner's decision, not the application's (docs/operations.md).
SILENCED_SYSTEM_CHECKS = ["security.W021"]


def _trusted_proxies() -> list[str]:
    networks = []
    for item in env_list("TRUSTED_PROXIES", []):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"{PREFIX}TRUSTED_PROXIES must list IP addresses or networks, got {item!r}"
            ) from None
    return networks


# The reverse proxies in front of Teilhabe. Only a request that arrives from one of them may
# say, in X-Forwarded-Proto and X-Forwarded-For, which scheme and client address it carries
# (teilhabe.core.middleware.TrustedProxyMiddleware); without them both headers are ignored.
TRUSTED_PROXIES = _trusted_proxies()
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
