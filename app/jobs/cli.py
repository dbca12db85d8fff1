"""`flask jobs run NAME [--agency CODE]`, `flask jobs list` and `flask scheduler` (CONTRACT.md)."""
from __future__ import annotations

import sys
from collections.abc import Mapping

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

jobs_cli = AppGroup("jobs", help="Background jobs: run one once, or list them.")


def options_problem(spec, settings: Mapping[str, str]) -> str | None:
    """Why a run cannot take these --option settings, or None. Checked before the run starts:
    an unknown key (`bogus=1`, `catchup=yes`) or a word that is neither yes nor no was ignored,
    or read as no, and the run went ahead as if nothing had been asked."""
    known = spec.options
    for key, value in settings.items():
        reader = known.get(key)
        if reader is None:
            takes = ", ".join(sorted(known)) if known else "none"
            return f"{spec.name} has no option {key!r} (its options: {takes}); nothing was run"
        try:
            reader(value)
        except ValueError as error:
            return f"--option {key} {error}; nothing was run"
    return None


@jobs_cli.command("run")
@click.argument("name")
@click.option("--agency", "agency_code", default=None, help="Agency code, for per-agency jobs (e.g. DIW).")
@click.option("--option", "options", multiple=True, metavar="KEY=VALUE",
              help="A setting of this run, e.g. catch_up=yes for sync-status (read the wide window).")
@with_appcontext
def jobs_run(name: str, agency_code: str | None, options: tuple[str, ...]):
    """Run job NAME once and print a one-line JSON summary; exit 1 if a run failed.

    A run that finds the job already running elsewhere does nothing and is reported as skipped
    (exit 0). A per-agency job without --agency runs for every agency with sync switched on.
    """
    from app.cli import emit_summary, fail_unless_database_usable, fail_with_summary
    from app.jobs import registry, runner

    settings = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or not key.strip():
            emit_summary({"job": name, "status": "failed", "error": f"--option takes KEY=VALUE, not {option!r}"})
            sys.exit(2)
        settings[key.strip()] = value.strip()
    try:
        problem = options_problem(registry.get_job(name), settings)
    except registry.UnknownJob as error:
        problem = str(error)
    if problem:
        fail_with_summary(problem, {"job": name, "status": "failed"}, 2)
    fail_unless_database_usable({"job": name, "status": "failed"})
    try:
        results = runner.run_job(name, agency_code, options=settings)
    except (registry.UnknownJob, runner.JobUsageError) as error:
        emit_summary({"job": name, "status": "failed", "error": str(error)})
        sys.exit(2)
    summary = runner.summary(name, results)
    for result in results:
        where = f" [{result.agency}]" if result.agency else ""
        click.echo(f"{name}{where}: {result.status}; fetched {result.fetched}, changed {result.changed}, "
                   f"errors {result.errors}" + (f"; {result.message}" if result.message else ""))
    emit_summary(summary)
    if summary["status"] == "failed":
        sys.exit(1)


@jobs_cli.command("list")
@with_appcontext
def jobs_list():
    """The registered jobs and how they are scheduled."""
    from app.jobs import registry

    for spec in registry.all_jobs():
        every = "per agency, on each agency's interval" if spec.per_agency else f"every {spec.interval_minutes} min"
        click.echo(f"{spec.name}\t{every}\t{spec.description}")


@click.command("scheduler")
@with_appcontext
def scheduler_command():
    """Run the job scheduler in the foreground until SIGTERM or Ctrl-C."""
    from app.cli import database_problem
    from app.jobs.scheduler import JobScheduler

    # Once started it rides out a database that goes away (each run fails and says why); it does
    # not start on one it cannot use at all, where every run would fail the same way.
    problem = database_problem()
    if problem:
        raise click.ClickException(f"the scheduler cannot start. {problem}")

    JobScheduler(current_app._get_current_object()).start()


def register_jobs_cli(app) -> None:
    app.cli.add_command(jobs_cli)
    app.cli.add_command(scheduler_command)
