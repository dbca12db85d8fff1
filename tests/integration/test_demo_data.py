"""`demo-data` and the set-up commands, run as people run them."""
import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]


def _flask(url, *args):
    env = {**os.environ, "DATABASE_URL": url, "RUEANG_ENV": "test"}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()


def test_demo_data_makes_accounts_and_realistic_cases(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    _flask(url, "db", "upgrade")
    summary = json.loads(_flask(url, "demo-data", "--cases", "1200", "--password", "s3cret-demo")[-1])
    assert summary["cases_loaded"] == 1200 and summary["total_cases"] == 1200
    engine = create_engine(url)
    with engine.connect() as db:
        users = set(db.execute(text("SELECT username FROM ab_user")).scalars())
        assert {"admin", "ministry"} | {f"{a}.{r}" for a in ("ops", "diw", "diprom", "tisi", "dpim")
                                        for r in ("manager", "officer", "clerk")} <= users
        assert db.execute(text('SELECT count(DISTINCT province) FROM "case"')).scalar() == 77
        assert db.execute(text('SELECT count(DISTINCT agency_id) FROM "case"')).scalar() == 5
        codes = db.execute(text('SELECT count(DISTINCT tracking_code) FROM "case"')).scalar()
        assert codes == 1200
        spread = db.execute(text('SELECT julianday(max(submitted_at)) - julianday(min(submitted_at)) FROM "case"')).scalar()
        assert spread > 600  # two years
        assert db.execute(text("SELECT count(*) FROM case_event WHERE kind = 'created'")).scalar() == 1200
        assert db.execute(text('SELECT count(*) FROM "case" WHERE due_at IS NULL')).scalar() == 0
    engine.dispose()
    # Running it again adds cases, keeps one account each, and numbers on from the counters.
    again = json.loads(_flask(url, "demo-data", "--cases", "10", "--password", "s3cret-demo")[-1])
    assert again["users_created"] == 0 and again["total_cases"] == 1210
    assert _flask(url, "cases", "count")[-1] == "1210"
    _assert_login_works(url, "tisi.clerk", "s3cret-demo")


def _assert_login_works(url, username, password):
    env = {**os.environ, "DATABASE_URL": url, "RUEANG_ENV": "test"}
    script = (
        "import re\n"
        "from app import create_app\n"
        "from config import TestConfig\n"
        "c = create_app(TestConfig).test_client()\n"
        "page = c.get('/login/').get_data(as_text=True)\n"
        "token = re.search(r'name=\"csrf_token\"[^>]*value=\"([^\"]+)\"', page).group(1)\n"
        f"r = c.post('/login/', data={{'username': '{username}', 'password': '{password}', 'csrf_token': token}})\n"
        "print(r.status_code, c.get('/cases/list/').status_code)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.split()[-2:] == ["302", "200"], result.stderr[-2000:]
