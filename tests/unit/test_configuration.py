"""Settings the app cannot start with end with the reason, not a traceback (config.py)."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from config import ConfigurationError, check_database_url, normalise_database_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("url", [
    "sqlite:////var/lib/rueang/rueang.db",
    "postgresql+psycopg://rueang:secret@127.0.0.1:5432/rueang",
    normalise_database_url("postgres://rueang@db.example.go.th/rueang"),
])
def test_urls_rueang_runs_on(url):
    check_database_url(url)


@pytest.mark.parametrize("url, message", [
    ("localhost/rueang", "DATABASE_URL is not a database URL. Write it as postgresql+psycopg://USER@HOST:PORT/DB"),
    ("mysql://rueang@127.0.0.1/rueang", "DATABASE_URL names a mysql database; Rueang runs on PostgreSQL"),
    ("postgresql+psycopg2://rueang:secret@127.0.0.1/rueang", "DATABASE_URL asks for the psycopg2 driver; Rueang uses psycopg 3"),
])
def test_urls_refused_with_the_way_to_write_them(url, message):
    with pytest.raises(ConfigurationError) as refused:
        check_database_url(url)
    assert str(refused.value).startswith(message)
    assert "secret" not in str(refused.value)


def _env(**settings):
    env = {k: v for k, v in os.environ.items() if k not in ("RUEANG_ENV", "SECRET_KEY", "DATABASE_URL")}
    return {**env, **settings}


@pytest.mark.parametrize("settings, message", [
    ({"DATABASE_URL": "localhost/rueang"}, "DATABASE_URL is not a database URL"),
    ({"RUEANG_ENV": "production"}, "SECRET_KEY is not set."),
    # A typo ran the development configuration, with its known key, on a server.
    ({"RUEANG_ENV": "prod"}, "RUEANG_ENV must be production, development or test; it is 'prod'."),
    # int() raised "invalid literal for int() with base 10" from config.py's class body.
    ({"MAX_CONTENT_LENGTH": "20MB"}, "MAX_CONTENT_LENGTH must be a whole number of 1 or more (the default is 20971520); it is '20MB'."),
    ({"RUEANG_PROXY_COUNT": "yes"}, "RUEANG_PROXY_COUNT must be a whole number of 0 or more"),
    # deploy/rueang.env.example's placeholder, or a short key, signed production sessions.
    ({"RUEANG_ENV": "production", "SECRET_KEY": "change-me-to-a-long-random-value"},
     "SECRET_KEY is still the published example value"),
    ({"RUEANG_ENV": "production", "SECRET_KEY": "short-key"},
     "SECRET_KEY is 9 characters long; a production key needs at least 32"),
    # Written otherwise, or left empty with a key set, the production configuration was chosen and
    # its key was not checked.
    ({"RUEANG_ENV": "Production", "SECRET_KEY": "change-me-to-a-long-random-value"},
     "SECRET_KEY is still the published example value"),
    ({"RUEANG_ENV": " production ", "SECRET_KEY": "short-key"}, "SECRET_KEY is 9 characters long"),
    ({"RUEANG_ENV": "", "SECRET_KEY": "short-key"}, "SECRET_KEY is 9 characters long"),
    # Any word but a yes was a no: the session cookie went over plain HTTP.
    ({"SESSION_COOKIE_SECURE": "ture"}, "SESSION_COOKIE_SECURE must be yes or no (1 or 0, true or false, on or off); it is 'ture'."),
    # Any language was taken, and the screens came out in neither Thai nor a language the app has.
    ({"DEFAULT_LANGUAGE": "fr"}, "DEFAULT_LANGUAGE must be th or en; it is 'fr'."),
])
def test_the_command_line_says_why_it_cannot_start(tmp_path, settings, message):
    """A DATABASE_URL SQLAlchemy cannot read, or a missing SECRET_KEY, ended in a 30-line traceback."""
    env = _env(**settings)
    if "DATABASE_URL" not in settings:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.db'}"
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "cases", "count"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert message in result.stderr


@pytest.mark.parametrize("name, value, minimum", [("RUEANG_TIMEOUT", "30s", 0), ("RUEANG_THREADS", "0", 1)])
def test_gunicorn_refuses_a_number_that_is_not_one(name, value, minimum):
    env = _env(SECRET_KEY="k" * 40, RUEANG_BIND="127.0.0.1:0", **{name: value})
    result = subprocess.run([str(Path(sys.executable).parent / "gunicorn"), "wsgi:app"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"{name} must be a whole number of {minimum} or more" in result.stderr and "Traceback" not in result.stderr


def test_gunicorn_refuses_a_database_url_before_starting_workers():
    """A worker that exits on its configuration is started again by gunicorn, in a loop."""
    env = _env(SECRET_KEY="k" * 40, DATABASE_URL="mysql://rueang@127.0.0.1/rueang", RUEANG_BIND="127.0.0.1:0")
    result = subprocess.run([str(Path(sys.executable).parent / "gunicorn"), "wsgi:app"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "DATABASE_URL names a mysql database" in result.stderr and "The server was not started." in result.stderr
    assert "Booting worker" not in result.stderr


def test_demo_data_is_refused_on_the_production_configuration(tmp_path):
    """It makes admin and every demo account with a password the README prints, and resets them
    when they exist: one mistaken command on a live server handed the server over."""
    env = _env(RUEANG_ENV="production", SECRET_KEY="a-production-key-long-enough-for-the-checks",
               DATABASE_URL=f"sqlite:///{tmp_path / 'live.db'}")
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, capture_output=True, timeout=120, check=True)
    result = subprocess.run([*flask, "demo-data", "--cases", "0"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "--on-production" in result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["ok"] is False
    with sqlite3.connect(tmp_path / "live.db") as live:
        assert live.execute("SELECT COUNT(*) FROM ab_user").fetchone()[0] == 0, "no account was made"
