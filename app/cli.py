"""Command-line interface: `flask --app app <command>` (CONTRACT.md)."""
from __future__ import annotations

import contextlib
import functools
import json
import signal
import sys
import threading
from collections.abc import Iterator

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext


def emit_summary(summary: dict) -> None:
    """Commands that change or move data end with a one-line JSON summary."""
    click.echo(json.dumps(summary, ensure_ascii=False, default=str))


def database_failure(error: Exception) -> str:
    """A database error as one line for a person, with the likely cure (app/domain/database_errors.py)."""
    from app.domain.database_errors import describe_database_error

    return describe_database_error(error)


def database_problem() -> str | None:
    """Why the database cannot be used by this code (server down, no schema, an older schema), or None."""
    from app.extensions import db
    from app.services.schema_check import database_problem as problem_of

    return problem_of(db.session)


def fail_with_summary(message: str, summary: dict | None = None, status: int = 1) -> None:
    """End a command that failed: the reason on stderr, then the failed summary (when the command
    prints one) with the reason as its `error`, and the exit status."""
    click.echo(message, err=True)
    if summary is not None:
        emit_summary({**summary, "error": message})
    sys.exit(status)


def fail_unless_database_usable(summary: dict | None = None) -> None:
    """Stop a command before it starts when the database cannot be used: the reason on stderr,
    the failed summary (when the command prints one) last, exit 1."""
    problem = database_problem()
    if problem is not None:
        fail_with_summary(problem, summary)


def summarise_database_errors(command: click.Command) -> click.Command:
    """A command that moves data, failing on the database (no schema yet, server down), ends like
    its other failures: the reason on stderr, a failed summary last, exit 1; not a traceback."""
    from sqlalchemy.exc import SQLAlchemyError

    callback = command.callback

    @functools.wraps(callback)
    def run(*args, **kwargs):
        fail_unless_database_usable({"command": command.name, "ok": False})
        try:
            return callback(*args, **kwargs)
        except SQLAlchemyError as error:
            message = database_failure(error)
            click.echo(message, err=True)
            emit_summary({"command": command.name, "ok": False, "error": message})
            sys.exit(1)

    # In the app context, which the command's own with_appcontext would push only after the check.
    command.callback = with_appcontext(run)
    return command


roles_cli = AppGroup("roles", help="Roles and permissions.")


@roles_cli.command("sync")
@with_appcontext
def roles_sync():
    """Create the permissions of every screen and API and give each role its set."""
    from app.services.roles import sync_roles

    emit_summary({"roles": sync_roles()})


@click.command("demo-data")
@click.option("--cases", "case_count", default=5000, show_default=True, type=click.IntRange(0, 5_000_000),
              help="How many demo cases to add.")
@click.option("--password", default="rueang-demo", show_default=True, help="Password of every demo account.")
@click.option("--seed", default=2569, show_default=True, type=int)
@click.option("--on-production", is_flag=True,
              help="Load it even though this is the production configuration (RUEANG_ENV).")
@with_appcontext
def demo_data(case_count: int, password: str, seed: int, on_production: bool):
    """Agencies, case types, demo users and realistic cases spread over two years."""
    from flask import current_app

    from app.services.demo import load_demo_data

    if current_app.config.get("ENV_NAME") == "production" and not on_production:
        # One mistaken command on a live server would make or reset admin and every demo account
        # with a password printed in the README, and point each agency's sync at the simulator.
        message = ("demo-data is for demonstrations: it makes (or resets) admin and the demo accounts with one "
                   "known password and points each agency's sync at the simulator. This is the production "
                   "configuration, so nothing was changed; give --on-production to load it all the same.")
        fail_with_summary(message, {"ok": False})
    emit_summary(load_demo_data(case_count=case_count, password=password, random_seed=seed, echo=click.echo))


cases_cli = AppGroup("cases", help="Cases: count, import and export.")


@cases_cli.command("count")
@with_appcontext
def cases_count():
    """Print how many cases the database holds."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Case

    fail_unless_database_usable()
    click.echo(db.session.execute(select(func.count(Case.id))).scalar_one())


backup_cli = AppGroup("backup", help="Backups of the database and the photos.")


class StoppedBySignal(SystemExit):
    """SIGTERM (systemd stopping the unit) during a command that cleans up after itself."""


@contextlib.contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """SIGTERM raises StoppedBySignal instead of ending the process on the spot, so that the
    command's `finally` and `except` run: a backup stopped by systemd removed nothing and left
    its unfinished folder, a whole dump, behind. Python only lets the main thread set handlers;
    elsewhere (never the command line) nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, _frame):
        raise StoppedBySignal(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def _backup_failed(directory: str, message: str, status: int = 1) -> None:
    fail_with_summary(message, {"directory": directory, "ok": False}, status)


@backup_cli.command("make")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--keep", default=14, show_default=True, type=click.IntRange(1, 10_000),
              help="How many backups to keep in DIRECTORY; older ones are removed.")
@with_appcontext
def backup_make(directory: str, keep: int):
    """Back up the database and the photos into DIRECTORY/rueang-<UTC time>/ (readable by its
    owner only). Ends with a one-line JSON summary, "ok": false and the reason on failure."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.services.backups import BackupFailed, make_backup

    problem = database_problem()
    if problem:
        _backup_failed(directory, problem)
    try:
        with sigterm_unwinds():
            summary = make_backup(directory, keep=keep)
    except BackupFailed as error:
        _backup_failed(directory, str(error))
    except OSError as error:  # the directory cannot be made or written: permissions, a full disk
        _backup_failed(directory, f"the backup could not be written: {error}")
    except SQLAlchemyError as error:
        _backup_failed(directory, database_failure(error))
    except StoppedBySignal as stop:
        _backup_failed(directory, "stopped by SIGTERM before it ended; an unfinished backup is never kept",
                       stop.code)
    emit_summary({**summary, "ok": True})


@backup_cli.command("check")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
def backup_check(path: str):
    """Check that a backup is whole: every file its manifest lists, with the same checksum."""
    from app.services.backups import check_backup

    problems = check_backup(path)
    emit_summary({"backup": path, "whole": not problems, "problems": problems})
    if problems:
        raise SystemExit(1)


class SchemaOutsideMigrations(click.ClickException):
    """create_all on the app's tables: Flask-AppBuilder's `fab create-db`, or a hand-typed call."""


def _refuse_create_all(metadata, connection, **kw) -> None:
    raise SchemaOutsideMigrations(
        "Rueang builds its schema through migrations/ only: run `flask --app app db upgrade`. "
        "(fab create-db would make the tables without the migrations' record, and db upgrade could "
        "no longer run.) Nothing was changed.")


def refuse_create_all() -> None:
    """`flask fab create-db` (an entry point of Flask-AppBuilder's, found before the app is
    loaded, so it cannot be replaced) ends on this instead of making tables by create_all."""
    from sqlalchemy import event

    from app.extensions import db

    if not event.contains(db.metadata, "before_create", _refuse_create_all):
        event.listen(db.metadata, "before_create", _refuse_create_all)


def explain_unreachable_database(command: click.Command) -> click.Command:
    """Flask-Migrate's commands (`db upgrade`, the first an operator runs) ended in a traceback of
    150 lines when the server was down or the database missing. Those failures, and only those,
    end with the one line and the cure; an error inside a migration keeps its traceback."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    from app.domain.database_errors import database_unreachable

    callback = command.callback

    @functools.wraps(callback)
    def run(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except (OperationalError, InterfaceError) as error:
            if not database_unreachable(error):
                raise
            click.echo(database_failure(error), err=True)
            sys.exit(1)

    command.callback = run
    command._explains_unreachable_database = True
    return command


def register_cli(app: Flask) -> None:
    refuse_create_all()
    from flask_migrate.cli import db as migrate_cli

    for name in ("upgrade", "downgrade", "current", "stamp", "check"):
        command = migrate_cli.commands.get(name)
        if command is not None and not getattr(command, "_explains_unreachable_database", False):
            explain_unreachable_database(command)
    app.cli.add_command(backup_cli)
    app.cli.add_command(roles_cli)
    from app.views.excel_cli import register_excel_cli

    register_excel_cli(cases_cli)
    from app.views.dashboards_cli import dashboards_cli

    for command in (roles_sync, demo_data, dashboards_cli.commands["refresh"],
                    *(cases_cli.commands[name] for name in
                                            ("import", "export", "export-monthly") if name in cases_cli.commands)):
        if not getattr(command, "_summarises_database_errors", False):
            summarise_database_errors(command)._summarises_database_errors = True
    app.cli.add_command(cases_cli)
    app.cli.add_command(demo_data)
    from app.jobs.cli import register_jobs_cli

    register_jobs_cli(app)
    from app.views.dashboards_cli import register_dashboards_cli

    register_dashboards_cli(app)
    try:
        from app.simulator.cli import simulate_departments
    except ImportError:  # the simulator package is optional in stripped-down installs
        simulate_departments = None
    if simulate_departments is not None:
        app.cli.add_command(simulate_departments)
