"""Shared fixtures: one migrated database per run, per-role login helpers and data factories.

The database is SQLite by default and the PostgreSQL server named by DATABASE_URL otherwise;
its schema is rebuilt from migrations/ at the start of the run.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

os.environ.setdefault("RUEANG_ENV", "test")
ROOT = Path(__file__).resolve().parent.parent
# Each run gets its own SQLite file, so that two runs on one machine never share a database.
if not os.environ.get("DATABASE_URL"):
    import tempfile

    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='rueang-test-')}/test.db"
PASSWORD = "test-pass-2569"
AGENCY_CODES = ("OPS", "DIW", "DIPROM", "TISI", "DPIM")


def _reset_database(url: str) -> None:
    from sqlalchemy import create_engine, text

    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    from config import TestConfig

    _reset_database(TestConfig.SQLALCHEMY_DATABASE_URI)
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.services import seed
    from app.services.roles import sync_roles

    application = create_app(TestConfig)
    # The Excel screens' work files of this run only: not the checkout's instance/, where another
    # run's (or an earlier one's) would be found.
    application.config["EXCEL_EXPORT_DIR"] = str(tmp_path_factory.mktemp("exports"))
    application.config["EXCEL_IMPORT_DIR"] = str(tmp_path_factory.mktemp("imports"))
    with application.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        sync_roles()
        agencies = seed.ensure_agencies_and_types(db.session)
        seed.ensure_demo_users(db.session, PASSWORD, agencies)
        db.session.commit()
    yield application


@pytest.fixture()
def db_session(app):
    from app.extensions import db

    with app.app_context():
        yield db.session
        db.session.rollback()


@pytest.fixture(autouse=True)
def _clean_cases(request):
    """Integration tests start with no cases; the seeded agencies, types and users stay."""
    if "app" not in request.fixturenames and "client" not in request.fixturenames:
        yield
        return
    application = request.getfixturevalue("app")
    from sqlalchemy import text

    from app.extensions import db

    with application.app_context():
        for table in ("case_attachment", "requester_link", "case_event", '"case"', "tracking_counter", "extra_holiday",
                      "ended_session",
                      "dashboard_dirty", "dashboard_status", "dashboard_closed", "dashboard_close_days",
                      "dashboard_province"):
            db.session.execute(text(f"DELETE FROM {table}"))
        db.session.commit()
    yield


@pytest.fixture()
def client(app):
    return app.test_client()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


class Browser:
    """A logged-in test client that sends the page's CSRF token with every form post."""

    def __init__(self, app, username: str | None):
        self.client = app.test_client()
        self.username = username
        self._token = None
        if username:
            self.login(username)

    def login(self, username: str, password: str = PASSWORD):
        page = self.client.get("/login/")
        token = csrf_token_from(page.get_data(as_text=True))
        response = self.client.post("/login/", data={"username": username, "password": password,
                                                      "csrf_token": token})
        assert response.status_code == 302, f"login of {username} failed"
        # The session keeps its CSRF secret across the login, so the login page's token stays valid.
        self._token = token
        return response

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = csrf_token_from(self.client.get("/login/").get_data(as_text=True))
        return self._token

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def post(self, url, data=None, **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token)
        return self.client.post(url, data=data, **kw)

    def api(self, method: str, url: str, json=None):
        headers = {"X-CSRFToken": self.token}
        return self.client.open(url, method=method, json=json, headers=headers)


@pytest.fixture()
def browser(app):
    def make(username: str | None) -> Browser:
        return Browser(app, username)

    return make


@pytest.fixture()
def diw_agency(app):
    """DIW's id; every setting of the agency is put back as it was after the test."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Agency

    columns = [column.key for column in Agency.__table__.columns if column.key != "id"]
    with app.app_context():
        agency = db.session.execute(select(Agency).where(Agency.code == "DIW")).scalar_one()
        saved, agency_id = {key: getattr(agency, key) for key in columns}, agency.id
        db.session.rollback()
    yield agency_id
    with app.app_context():
        agency = db.session.get(Agency, agency_id)
        for key, value in saved.items():
            setattr(agency, key, value)
        db.session.commit()


@pytest.fixture()
def make_case(app):
    """Create a case through the service, as a system actor, in the given agency."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import CaseType
    from app.services import cases
    from app.services.actor import Actor

    def make(agency: str = "DIW", **fields):
        with app.app_context():
            type_code = fields.pop("type_code", None)
            stmt = select(CaseType).join(CaseType.agency).where(CaseType.agency.has(code=agency))
            if type_code:
                stmt = select(CaseType).where(CaseType.code == type_code)
            case_type = db.session.execute(stmt.order_by(CaseType.id)).scalars().first()
            data = {"title": "โรงงานปล่อยกลิ่นเหม็นรบกวนชุมชน", "case_type_id": case_type.id}
            data.update(fields)
            case = cases.create_case(Actor.system("tests"), data)
            return {"id": case.id, "tracking_code": case.tracking_code, "version": case.version}

    return make


@pytest.fixture()
def dash_app(app, monkeypatch):
    """Dashboards with no caching between requests: a test changes data and reads it back at once."""
    from app.services.dashboard import public_cache
    from app.views.dashboards import staff_cache

    monkeypatch.setitem(app.config, "DASHBOARD_CACHE_SECONDS", 0)
    monkeypatch.setitem(app.config, "PUBLIC_DASHBOARD_CACHE_SECONDS", 0)
    staff_cache.clear()
    public_cache.clear()
    yield app
    staff_cache.clear()
    public_cache.clear()
