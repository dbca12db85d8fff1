"""Configuration, read from the environment (CONTRACT.md lists the variables)."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


class ConfigurationError(SystemExit):
    """A setting the app cannot start with. A SystemExit, so that `flask`, gunicorn and a script
    end with the message itself (and exit status 1) rather than a traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def env_int(name: str, default: int, minimum: int = 0) -> int:
    """A whole number from the environment; anything else stops the app with the setting named."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip())
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ConfigurationError(
            f"{name} must be a whole number of {minimum} or more (the default is {default}); it is {value.strip()[:40]!r}.")
    return number


TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def yes_or_no(value) -> bool:
    """A yes-or-no word, in any case: 1 or 0, true or false, yes or no, on or off. Any other word
    raises ValueError rather than reading as no (for the settings here and the jobs' options)."""
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"takes yes or no (1 or 0, true or false, on or off), not {str(value).strip()[:40]!r}")


def _bool(name: str, default: bool) -> bool:
    """Yes or no from the environment; a word that is neither ("ture") stops the app, where it
    was read as no and, for SESSION_COOKIE_SECURE, sent the session cookie over plain HTTP."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return yes_or_no(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be yes or no (1 or 0, true or false, on or off); "
                                 f"it is {value.strip()[:40]!r}.") from None


def normalise_database_url(url: str) -> str:
    """Accept the URLs people paste and turn them into the psycopg 3 dialect."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def check_database_url(url: str) -> None:
    """DATABASE_URL must name a database Rueang runs on, in a form SQLAlchemy reads."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    example = "postgresql+psycopg://USER@HOST:PORT/DB"
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigurationError(
            f"DATABASE_URL is not a database URL. Write it as {example} (PostgreSQL), or leave it "
            "unset for the SQLite file under instance/.") from None
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    if backend == "sqlite":
        return
    if backend != "postgresql":
        raise ConfigurationError(
            f"DATABASE_URL names a {backend} database; Rueang runs on PostgreSQL ({example}) or SQLite.")
    if driver != "psycopg":
        raise ConfigurationError(
            f"DATABASE_URL asks for the {driver} driver; Rueang uses psycopg 3: write it as {example}.")


MIN_SECRET_KEY_CHARS = 32
# Keys published in this repository, which must never sign a production session.
KNOWN_SECRET_KEYS = frozenset({
    "change-me-to-a-long-random-value",  # deploy/rueang.env.example
    "development-only-secret-key-change-me",  # DevelopmentConfig
    "test-secret-key-of-the-length-hmac-keys-need",  # TestConfig
})


def check_production_secret_key(key: str) -> None:
    """A production key nobody can guess: not the example file's or the development one (both are
    public), and long enough to sign sessions with."""
    how = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
    if key.strip() in KNOWN_SECRET_KEYS:
        raise ConfigurationError(
            f"SECRET_KEY is still the published example value; anyone could sign sessions with it. Set it to a "
            f"long random string ({how}).")
    if len(key) < MIN_SECRET_KEY_CHARS:
        raise ConfigurationError(
            f"SECRET_KEY is {len(key)} characters long; a production key needs at least {MIN_SECRET_KEY_CHARS} "
            f"({how}).")


class Config:
    APP_NAME = "Rueang เรื่อง"
    APP_ICON = ""
    # The production configuration; config_from_environment() picks it for RUEANG_ENV=production
    # however it is written ("Production", " production"), or unset with a SECRET_KEY.
    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'rueang.db'}")
    )
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # The schema comes from migrations/ only; permissions are synced by `flask roles sync`.
    FAB_BASE_TEMPLATE = "rueang/base.html"
    # Set here, not after init_app: Flask-AppBuilder registers its index view while it initialises.
    FAB_INDEX_VIEW = "app.views.index.HomeView"
    FAB_CREATE_DB = False
    FAB_UPDATE_PERMS = False
    FAB_SECURITY_MANAGER_CLASS = "app.security.RueangSecurityManager"
    FAB_ADD_SECURITY_API = False
    FAB_API_SWAGGER_UI = True
    FAB_API_MAX_PAGE_SIZE = 200
    AUTH_TYPE = 1  # AUTH_DB
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    AUTH_USER_REGISTRATION = False
    AUTH_RATE_LIMITED = True
    AUTH_RATE_LIMIT = "10 per 20 second"
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # A shared store (Redis) that is down must not make every sign-in a server error: the limits
    # hold in this process's memory, with a warning in the log, until the store answers again.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Every password set on a form meets app/domain/passwords.py (its validator is set in create_app).
    FAB_PASSWORD_COMPLEXITY_ENABLED = True

    # Every state-changing request needs a CSRF token (checked in app/csrf.py).
    WTF_CSRF_ENABLED = True
    WTF_CSRF_CHECK_DEFAULT = False
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Production runs behind the TLS proxy: the session cookie goes over HTTPS only unless
    # SESSION_COOKIE_SECURE=0 says the site is served over plain HTTP.
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    # A signed-in session ends after this long without a request; each request starts the time
    # again. A cookie copied from a browser stops working after it too (Flask's default is 31 days).
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=env_int("SESSION_IDLE_MINUTES", 8 * 60, minimum=1))
    SESSION_REFRESH_EACH_REQUEST = False  # app.security.renew_idle_session renews it once a minute
    # However much it is used, a signed-in session ends this long after its sign-in; so does the
    # record that refuses a copy of a cookie whose user signed out (app.models.EndedSession).
    SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12, minimum=1)
    MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH", 20 * 1024 * 1024, minimum=1)

    BABEL_DEFAULT_LOCALE = os.environ.get("DEFAULT_LANGUAGE", "th")
    BABEL_DEFAULT_TIMEZONE = "Asia/Bangkok"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "app" / "translations")
    LANGUAGES = {
        "th": {"flag": "th", "name": "ไทย"},
        "en": {"flag": "gb", "name": "English"},
    }
    DISPLAY_TIMEZONE = "Asia/Bangkok"

    CASE_LIST_PAGE_SIZE = 25
    # Above this many matching cases the list shows "10,000+" instead of counting them all.
    CASE_LIST_COUNT_CAP = 10_000

    DEPARTMENTS_URL = os.environ.get("DEPARTMENTS_URL", "http://127.0.0.1:8090")
    # Where the Excel screens keep uploaded sheets and finished exports (instance/imports and
    # instance/exports when unset). On a server, somewhere the web app's user may write.
    EXCEL_IMPORT_DIR = os.environ.get("EXCEL_IMPORT_DIR") or None
    EXCEL_EXPORT_DIR = os.environ.get("EXCEL_EXPORT_DIR") or None

    def __init__(self) -> None:
        check_database_url(self.SQLALCHEMY_DATABASE_URI)
        if self.BABEL_DEFAULT_LOCALE not in self.LANGUAGES:
            raise ConfigurationError(f"DEFAULT_LANGUAGE must be th or en; it is {self.BABEL_DEFAULT_LOCALE[:40]!r}.")
        if self.SECRET_KEY and self.ENV_NAME == "production":
            check_production_secret_key(self.SECRET_KEY)
        if not self.SECRET_KEY:
            raise ConfigurationError(
                "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
                "string (python3 -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-secret-key-change-me")
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)  # http://127.0.0.1:8080


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SESSION_COOKIE_SECURE = False
    SECRET_KEY = "test-secret-key-of-the-length-hmac-keys-need"
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", "sqlite:///" + str(INSTANCE_DIR / "test.db"))
    )
    RATELIMIT_ENABLED = False
    AUTH_RATE_LIMITED = False
    WTF_CSRF_ENABLED = True


ENVIRONMENTS = {"", "production", "development", "dev", "test"}


def config_from_environment() -> type[Config]:
    env = os.environ.get("RUEANG_ENV", "").strip().lower()
    if env not in ENVIRONMENTS:
        # A typo ("prod") would otherwise run the development configuration and its known key.
        raise ConfigurationError(f"RUEANG_ENV must be production, development or test; it is {env[:40]!r}.")
    if env == "test":
        return TestConfig
    if env in {"development", "dev"} or (not os.environ.get("SECRET_KEY") and env != "production"):
        return DevelopmentConfig
    return Config
