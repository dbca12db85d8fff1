"""Whether this code can use the database: the server answers and the schema is the one its
migrations/ build. Commands ask before they start, so an operator reads what to do (start the
server, run `db upgrade`) instead of a traceback half-way through."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.domain.database_errors import describe_database_error, describe_schema_revision

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@lru_cache(maxsize=1)
def _revisions() -> tuple[frozenset[str], frozenset[str]]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    return frozenset(script.get_heads()), frozenset(r.revision for r in script.walk_revisions())


def schema_heads() -> frozenset[str]:
    """The revisions migrations/ ends at: the schema this code needs."""
    return _revisions()[0]


def database_problem(session) -> str | None:
    """A sentence saying why the database cannot be used, or None when it can."""
    try:
        current = {row[0] for row in session.execute(text("SELECT version_num FROM alembic_version"))}
    except SQLAlchemyError as error:
        problem = describe_database_error(error)
        if "alembic_version" in problem:  # the server answers, but no migration has run
            return describe_schema_revision(set(), {"head"}, set())
        return problem
    finally:
        try:
            session.rollback()
        except SQLAlchemyError:
            pass
    heads, known = _revisions()
    return describe_schema_revision(current, set(heads), set(known))


def warn_if_unusable(app) -> str | None:
    """At a server's start: say in its log, once, why the pages are about to fail (a schema older
    than the code after an upgrade without `db upgrade`, no schema, no server). It still starts, so
    that it serves as soon as the cure is applied."""
    import logging

    from app.extensions import db

    with app.app_context():
        problem = database_problem(db.session)
        db.session.remove()
    if problem:
        logging.getLogger("rueang").warning("%s Until then the pages that read it fail.", problem)
    return problem
