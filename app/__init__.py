"""Rueang: complaints and requests of the Ministry of Industry, agency by agency, in the open."""
from __future__ import annotations

import logging

from flask import Flask

from config import Config, config_from_environment


def create_app(config_class: type[Config] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    config_class = config_class or config_from_environment()
    app.config.from_object(config_class())
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("flask_appbuilder").setLevel(logging.WARNING)
    # Alembic names each of its plugins at INFO whenever it is imported: seven lines before the
    # output of every command. Its migrations' own lines ("Running upgrade ...") stay.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

    from app import models  # noqa: F401  (registers every table on the shared metadata)
    from app.extensions import csrf, db, limiter, migrate
    from app.web import register_web

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        from pathlib import Path

        Path(app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    from app.services import settings_history

    settings_history.install()
    migrate.init_app(app, db, directory=str(__import__("pathlib").Path(__file__).resolve().parent.parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    # A fresh AppBuilder per app: its view registry must not carry over between apps.
    from flask_appbuilder import AppBuilder
    from app import extensions

    extensions.appbuilder = appbuilder = AppBuilder(update_perms=False)
    from app.security.passwords import staff_password_policy

    app.config["FAB_PASSWORD_COMPLEXITY_VALIDATOR"] = staff_password_policy
    with app.app_context():
        from app.sqlite import configure_sqlite

        configure_sqlite(db.engine)
        appbuilder.init_app(app, db.session)
        register_web(app, appbuilder)
        from app.views.errors import register_error_pages

        register_error_pages(app)

    from app.cli import register_cli

    register_cli(app)
    return app
