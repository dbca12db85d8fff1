"""What an operator reads when the database cannot be used (app/domain/database_errors.py)."""
from __future__ import annotations

import pytest

from app.domain.database_errors import database_error_hint, describe_schema_revision


@pytest.mark.parametrize("detail, hint", [
    ("no such table: case", "has `flask --app app db upgrade` been run?"),
    ('relation "case" does not exist', "has `flask --app app db upgrade` been run?"),
    ("no such column: case.contact_phone", "the schema is older than the code: run `flask --app app db upgrade`"),
    ('column agency.contact_phone does not exist', "the schema is older than the code: run `flask --app app db upgrade`"),
    ('connection failed: connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "rueang" does not exist',
     "create that database (createdb) or correct DATABASE_URL"),
    ('connection failed: FATAL:  password authentication failed for user "rueang"',
     "check the user and password in DATABASE_URL"),
    ('connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused',
     "is the database server running, and is DATABASE_URL right?"),
    ("unable to open database file", "the SQLite file's directory must exist and be writable; check DATABASE_URL"),
    ("UNIQUE constraint failed: case.tracking_code", ""),
])
def test_hints(detail, hint):
    assert database_error_hint(detail) == hint


KNOWN = {"0001", "0002", "0009", "0010"}


@pytest.mark.parametrize("current, expected", [
    ({"0010"}, None),
    (set(), "The database has no schema yet: run `flask --app app db upgrade`."),
    ({"0009"}, "The database's schema is at revision 0009 and this code needs 0010: run `flask --app app db upgrade`."),
    ({"0011"}, "The database's schema is at revision 0011, which this code does not know: it was upgraded by a "
               "newer version of Rueang, or DATABASE_URL names another application's database."),
])
def test_schema_revisions(current, expected):
    assert describe_schema_revision(current, {"0010"}, KNOWN) == expected
