"""The systemd units and environment file in deploy/ stay in step with the code: the commands
they start exist, the variables they set are read, and systemd accepts them."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app.services.schema_check import schema_heads

(HEAD,) = schema_heads()  # the newest migration, which the schema behind it is told to reach

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted(DEPLOY.glob("*.service")) + sorted(DEPLOY.glob("*.timer"))


def _exec_start(unit: Path) -> list[str]:
    return re.findall(r"^ExecStart=(.+)$", unit.read_text(), flags=re.M)


@pytest.mark.parametrize("unit", [u for u in UNITS if u.suffix == ".service"], ids=lambda u: u.name)
def test_every_flask_command_a_unit_starts_exists(app, unit):
    runner = app.test_cli_runner()
    for command in _exec_start(unit):
        words = command.split()
        if words[0].endswith("/flask"):
            # the command and its sub-command, e.g. "backup make", before any argument
            names = [word for word in words[3:] if not word.startswith(("/", "-")) and not word.isdigit()][:2]
            result = runner.invoke(args=[*names, "--help"])
            assert result.exit_code == 0, (unit.name, names, result.output)
        else:
            assert words[0].endswith("/gunicorn") and words[1] == "wsgi:app" and (ROOT / "wsgi.py").is_file()


def test_every_variable_of_the_environment_file_is_read():
    readers = [ROOT / "config.py", ROOT / "gunicorn.conf.py", *sorted((ROOT / "app").rglob("*.py"))]
    sources = "".join(path.read_text(encoding="utf-8") for path in readers)
    names = re.findall(r"^([A-Z_]+)=", (DEPLOY / "rueang.env.example").read_text(), flags=re.M)
    assert "SECRET_KEY" in names and "DATABASE_URL" in names
    for name in names:
        assert f'"{name}"' in sources, f"{name} is set in rueang.env.example but nothing reads it"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_systemd_accepts_the_unit(unit):
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", str(unit)], capture_output=True, text=True,
                          cwd=DEPLOY)
    # The programs live under /opt/rueang on a server, not here: only that complaint is expected.
    complaints = [line for line in done.stderr.splitlines() if line.strip() and "is not executable" not in line]
    assert complaints == [], complaints


def test_the_server_says_at_its_start_that_the_schema_is_behind(tmp_path):
    """Restarted after `git pull` without `db upgrade`, the server started silently and every page
    failed on a missing column; its log now says what to run."""
    import os
    import sys

    env = {**os.environ, "RUEANG_ENV": "test", "DATABASE_URL": f"sqlite:///{tmp_path / 'old.db'}"}
    upgraded = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "db", "upgrade", "0009"], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=120)
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    started = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120)
    assert started.returncode == 0, started.stderr[-2000:]
    assert f"revision 0009 and this code needs {HEAD}: run `flask --app app db upgrade`" in started.stderr


def test_every_folder_the_web_app_writes_on_a_server_is_one_its_unit_may_write():
    """The Excel screens kept their files under /opt/rueang/instance, which is root's on a server
    (ProtectSystem, and the clone made by sudo): an import or a long export failed there. Every
    folder the app writes is set in the environment file, under the web unit's ReadWritePaths."""
    import os
    import sys

    writable = re.findall(r"^ReadWritePaths=(.+)$", (DEPLOY / "rueang-web.service").read_text(), flags=re.M)
    writable = [path for line in writable for path in line.split()]
    settings = dict(re.findall(r"^([A-Z_]+)=(.*)$", (DEPLOY / "rueang.env.example").read_text(), flags=re.M))
    folders = ("UPLOAD_DIR", "EXCEL_IMPORT_DIR", "EXCEL_EXPORT_DIR")
    for name in folders:
        assert name in settings, f"{name} is not set in rueang.env.example"
        assert any(settings[name].startswith(path.rstrip("/") + "/") for path in writable), (name, writable)
    read = subprocess.run([sys.executable, "-c", "from config import Config; "
                           "print(Config.EXCEL_IMPORT_DIR, Config.EXCEL_EXPORT_DIR)"], cwd=ROOT,
                          env={**os.environ, **{name: settings[name] for name in folders}},
                          capture_output=True, text=True, timeout=60)
    assert read.stdout.split() == [settings["EXCEL_IMPORT_DIR"], settings["EXCEL_EXPORT_DIR"]], read.stderr


def test_health_names_a_schema_behind_the_code(app, tmp_path):
    """/health said "ok" for a database whose schema the code had outgrown, while every page failed."""
    assert app.test_client().get("/health").get_json() == {"status": "ok", "database": "up", "schema": "current"}
    import os
    import sys

    env = {**os.environ, "RUEANG_ENV": "test", "DATABASE_URL": f"sqlite:///{tmp_path / 'old.db'}"}
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "db", "upgrade", "0009"], cwd=ROOT, env=env,
                   capture_output=True, text=True, timeout=120, check=True)
    probe = ("import json, wsgi; answer = wsgi.app.test_client().get('/health'); "
             "print(answer.status_code, json.dumps(answer.get_json()))")
    shown = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    status, body = shown.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "200" and f"this code needs {HEAD}" in json.loads(body)["schema"], shown.stdout + shown.stderr


@pytest.mark.parametrize("name", ["rueang-web.service", "rueang-scheduler.service"])
def test_what_the_app_writes_is_not_other_accounts_to_read(name):
    """Uploaded registers, exports of personal data and photos were made 0644 under systemd's
    default umask: readable by every account on the server."""
    (umask,) = re.findall(r"^UMask=(\d+)$", (DEPLOY / name).read_text(), flags=re.M)
    assert int(umask, 8) & 0o007 == 0o007, umask


def test_the_work_files_folder_is_made_closed_to_other_accounts(app, tmp_path):
    import os

    from app.services.work_files import work_dir

    previous = os.umask(0o022)  # a shell's usual umask, as under `make run`
    try:
        with app.test_request_context():
            app.config["SCRATCH_WORK_DIR"] = str(tmp_path / "exports")
            folder = work_dir("SCRATCH_WORK_DIR", "unused")
    finally:
        os.umask(previous)
        app.config.pop("SCRATCH_WORK_DIR", None)
    assert folder.stat().st_mode & 0o777 == 0o750
