"""A database error as one line an operator can act on: the driver's own first line (not the SQL
and parameters SQLAlchemy adds) and, when the cause is a common one, what to do. Pure."""
from __future__ import annotations

UPGRADE = "flask --app app db upgrade"


def database_error_detail(error: BaseException) -> str:
    """The driver's first line of the error (SQLAlchemy wraps it in `orig`), at most 300 characters."""
    text = str(getattr(error, "orig", None) or error).strip()
    return (text.splitlines() or [type(error).__name__])[0][:300]


NOT_CREATED = "create that database (createdb) or correct DATABASE_URL"
BAD_PASSWORD = "check the user and password in DATABASE_URL"
SERVER_DOWN = "is the database server running, and is DATABASE_URL right?"
SQLITE_FILE = "the SQLite file's directory must exist and be writable; check DATABASE_URL"
# The database cannot be reached at all, as opposed to a statement that failed on it.
UNREACHABLE = (NOT_CREATED, BAD_PASSWORD, SERVER_DOWN, SQLITE_FILE)


# PostgreSQL's "numeric value out of range" (an integer past its column's type).
NUMERIC_OUT_OF_RANGE = "22003"


def number_out_of_range(error: BaseException) -> bool:
    """Whether a statement failed on a number too large to bind or compare: Python's OverflowError
    (SQLite's driver raises it for an int past 64 bits) or PostgreSQL's SQLSTATE 22003."""
    if isinstance(error, OverflowError):
        return True
    original = getattr(error, "orig", None)
    return isinstance(original, OverflowError) or getattr(original, "sqlstate", None) == NUMERIC_OUT_OF_RANGE


def database_unreachable(error: BaseException) -> bool:
    return database_error_hint(database_error_detail(error)) in UNREACHABLE


def database_error_hint(detail: str) -> str:
    lowered = detail.lower()
    if "no such table" in lowered or ("relation" in lowered and "does not exist" in lowered):
        return f"has `{UPGRADE}` been run?"
    if "no such column" in lowered or ("column" in lowered and "does not exist" in lowered):
        return f"the schema is older than the code: run `{UPGRADE}`"
    if "database" in lowered and "does not exist" in lowered:
        return NOT_CREATED
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return BAD_PASSWORD
    if ("connection refused" in lowered or "could not connect" in lowered or "connection failed" in lowered
            or "could not translate host name" in lowered or "timeout expired" in lowered):
        return SERVER_DOWN
    if "unable to open database file" in lowered:
        return SQLITE_FILE
    return ""


def describe_database_error(error: BaseException) -> str:
    detail = database_error_detail(error)
    hint = database_error_hint(detail)
    return f"The database cannot be used: {detail}" + (f"; {hint}" if hint else "")


def describe_schema_revision(current: set[str], heads: set[str], known: set[str]) -> str | None:
    """Why a schema at revisions `current` does not fit code whose migrations end at `heads`
    (`known`: every revision the code has), or None when it fits."""
    if current == heads:
        return None
    if not current:
        return f"The database has no schema yet: run `{UPGRADE}`."
    at, needs = ", ".join(sorted(current)), ", ".join(sorted(heads))
    if current - known:
        return (f"The database's schema is at revision {at}, which this code does not know: it was "
                f"upgraded by a newer version of Rueang, or DATABASE_URL names another application's database.")
    return f"The database's schema is at revision {at} and this code needs {needs}: run `{UPGRADE}`."
