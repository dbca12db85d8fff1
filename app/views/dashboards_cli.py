"""`flask dashboards refresh [--rebuild]`: bring the dashboard summaries up to date now, e.g.
right after a bulk load (pages would otherwise work off a large backlog over their next views)."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

dashboards_cli = AppGroup("dashboards", help="Dashboard summaries.")


@dashboards_cli.command("refresh")
@click.option("--rebuild", is_flag=True, help="Empty the summaries and recompute every cell.")
@with_appcontext
def refresh(rebuild: bool):
    """Recompute every dashboard cell that changed since the last refresh (or all of them)."""
    from app.cli import emit_summary
    from app.extensions import db
    from app.services import dashboard_summary
    from app.services.db import transaction

    with transaction() as session:
        result = dashboard_summary.rebuild(session) if rebuild else \
            dashboard_summary.refresh(session, limit=None, wait=True)
    emit_summary({"dashboards": result})
    db.session.remove()


def register_dashboards_cli(app: Flask) -> None:
    app.cli.add_command(dashboards_cli)
