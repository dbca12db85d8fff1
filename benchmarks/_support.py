"""Helpers shared by the benchmark scripts: scratch PostgreSQL databases and timing."""
from __future__ import annotations

import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_SERVER = os.environ.get("BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")


def scratch_database(name: str) -> str:
    """A new, empty PostgreSQL database; returns its SQLAlchemy URL."""
    from sqlalchemy import create_engine, text

    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{PG_SERVER}/{name}"


def make_app(url: str, password: str = "bench-pass"):
    """A migrated, seeded app bound to `url` (demo users get `password`)."""
    os.environ["RUEANG_ENV"] = "test"
    os.environ["DATABASE_URL"] = url
    import importlib

    import config

    importlib.reload(config)
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.services import seed
    from app.services.roles import sync_roles

    application = create_app(config.TestConfig)
    with application.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        sync_roles()
        agencies = seed.ensure_agencies_and_types(db.session)
        seed.ensure_demo_users(db.session, password, agencies)
        db.session.commit()
    return application


def login(application, username: str, password: str = "bench-pass"):
    client = application.test_client()
    page = client.get("/login/").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/login/", data={"username": username, "password": password, "csrf_token": token})
    assert response.status_code == 302, "login failed"
    return client


def median_ms(fn, repeat: int = 20, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)
