"""The command line as CONTRACT.md lists it: a command that moves data ends with a one-line JSON
summary and a non-zero exit when it fails, whatever the failure; bad arguments get a clear message,
never a traceback."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.integration.excel_support import legacy_rows, write_register

from app.services.schema_check import schema_heads

(HEAD,) = schema_heads()  # the newest migration, which the schema behind it is told to reach

ROOT = Path(__file__).resolve().parents[2]


def _cli(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    lines = [line for line in result.output.splitlines() if line.strip()]
    return result, lines


def _summary(lines: list[str]) -> dict:
    return json.loads(lines[-1])


def test_export_with_an_unreadable_date_ends_with_a_failed_summary(app, tmp_path):
    target = tmp_path / "out.xlsx"
    result, lines = _cli(app, "cases", "export", str(target), "--from", "31/13/2026")
    assert result.exit_code == 1, result.output
    summary = _summary(lines)
    assert summary["ok"] is False and summary["error"].startswith("--from:"), summary
    assert "31/13/2026" in summary["error"]
    assert not target.exists()


def test_export_whose_from_is_after_its_to_is_refused(app, tmp_path):
    target = tmp_path / "out.xlsx"
    result, lines = _cli(app, "cases", "export", str(target), "--from", "2026-05-01", "--to", "2026-01-31")
    assert result.exit_code == 1, result.output
    summary = _summary(lines)
    assert summary["ok"] is False and "--from" in summary["error"] and "--to" in summary["error"], summary
    assert not target.exists()


def test_export_with_a_good_range_still_works(app, tmp_path, make_case):
    make_case("DIW")
    target = tmp_path / "out.xlsx"
    result, lines = _cli(app, "cases", "export", str(target), "--agency", "DIW", "--from", "2020-01-01",
                         "--to", (date.today() + timedelta(days=2)).isoformat())
    assert result.exit_code == 0, result.output
    summary = _summary(lines)
    assert summary["ok"] is True and summary["cases"] == 1, summary
    assert target.exists()


@pytest.mark.parametrize("command", [("cases", "export"), ("cases", "export-monthly", "--month", "2026-11")])
def test_an_export_to_a_name_that_is_not_a_workbook_is_refused(app, tmp_path, command):
    """`cases export out.csv` wrote an Excel workbook under a name that opens it as text."""
    target = tmp_path / "out.csv"
    result, lines = _cli(app, command[0], command[1], str(target), *command[2:])
    assert result.exit_code == 1, result.output
    summary = _summary(lines)
    assert summary["ok"] is False and "out.csv does not end in .xlsx" in summary["error"], summary
    assert not target.exists()
    upper = tmp_path / "OUT.XLSX"
    assert _cli(app, command[0], command[1], str(upper), *command[2:])[0].exit_code == 0


def test_export_to_a_day_years_ahead_is_a_range_not_an_error(app, tmp_path, make_case):
    """--to took the import's bound on dates received (366 days ahead): a range to the end of
    next year was refused as a date in the future."""
    make_case("DIW")
    target = tmp_path / "out.xlsx"
    result, lines = _cli(app, "cases", "export", str(target), "--agency", "DIW", "--to",
                         date(date.today().year + 2, 12, 31).isoformat())
    assert result.exit_code == 0, result.output
    assert _summary(lines)["cases"] >= 1


def test_the_simulator_refuses_a_port_that_cannot_be(app):
    result, lines = _cli(app, "simulate-departments", "--port", "70000")
    assert result.exit_code == 2, result.output
    assert "--port" in result.output and "65535" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("option, value", [("--speed", "inf"), ("--speed", "nan"), ("--speed", "0"),
                                           ("--cases", "-5"), ("--traffy-tickets", "-1")])
def test_the_simulator_refuses_numbers_it_cannot_run_with(app, option, value):
    """--speed inf ended in a traceback, nan in a message that did not say what was wrong, and a
    negative number of cases started a simulator with none."""
    result, _ = _cli(app, "simulate-departments", "--port", "0", option, value)
    assert result.exit_code == 2, result.output
    assert option in result.output and "Traceback" not in result.output


def test_the_simulator_listens_on_an_ipv6_address():
    import socket
    import urllib.request

    from app.simulator.server import make_server

    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("this machine has no IPv6 loopback")
    server = make_server(host="::1", port=0).start()
    try:
        with urllib.request.urlopen(f"{server.url}/_control/stats", timeout=10) as answer:
            assert answer.status == 200
    finally:
        server.shutdown()


def test_the_simulator_stops_on_sigterm_as_on_ctrl_c(tmp_path):
    """systemd and the demo stop it with SIGTERM: it ended at once, without closing its socket
    or saying so."""
    import signal
    import subprocess
    import sys
    import time

    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "simulate-departments", "--port", "0"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "RUEANG_ENV": "test"})
    try:
        deadline = time.monotonic() + 60
        for line in process.stdout:
            if "Press Ctrl-C to stop." in line or time.monotonic() > deadline:
                break
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0 and "Simulator stopped." in rest


def _flask(tmp_path, *args, url=None, timeout=120):
    env = {**os.environ, "DATABASE_URL": url or f"sqlite:///{tmp_path / 'empty.db'}", "RUEANG_ENV": "test"}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *[a.format(tmp=tmp_path) for a in args]],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("args", [["demo-data", "--cases", "3"], ["cases", "export", "{tmp}/out.xlsx"],
                                  ["cases", "import", "{tmp}/reg.xlsx", "--agency", "DIW"],
                                  ["jobs", "run", "sla-flags"], ["jobs", "run", "sync-status"],
                                  ["jobs", "run", "sync-status", "--agency", "DIW"], ["dashboards", "refresh"]])
def test_a_database_without_its_schema_is_a_clear_failure_with_a_summary(tmp_path, args):
    # Not a traceback: the reason, a hint, and the summary line scripts read. `jobs run` gave a
    # traceback for a per-agency job and the SQL of the failed statement for the others.
    write_register(tmp_path / "reg.xlsx", legacy_rows())
    result = _flask(tmp_path, *args)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "db upgrade" in result.stderr and "[SQL:" not in result.stdout + result.stderr, result.stderr[-2000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary.get("ok") is False or summary.get("status") == "failed", summary
    assert "db upgrade" in summary["error"], summary


@pytest.mark.parametrize("args", [["cases", "count"], ["scheduler"], ["backup", "make", "{tmp}/backups"]])
def test_commands_without_a_summary_fail_as_clearly_on_a_database_without_its_schema(tmp_path, args):
    """`cases count` and `dashboards refresh` ended in a traceback; the scheduler started and failed
    every run, each with a traceback in its log."""
    result = _flask(tmp_path, *args, timeout=60)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "db upgrade" in result.stderr, result.stderr[-2000:]


def test_a_schema_older_than_the_code_is_named_with_the_cure(tmp_path):
    """After `git pull` without `db upgrade` a job failed on a missing column, in SQL."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgraded = _flask(tmp_path, "db", "upgrade", "0009", url=url)
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    for args in (["jobs", "run", "sla-flags"], ["cases", "export", "{tmp}/out.xlsx"], ["scheduler"]):
        result = _flask(tmp_path, *args, url=url, timeout=60)
        assert result.returncode == 1, result.stderr[-2000:]
        assert f"revision 0009 and this code needs {HEAD}" in result.stderr, result.stderr[-2000:]
        assert "db upgrade" in result.stderr


def test_a_database_server_that_does_not_answer_is_named_with_the_cure(tmp_path):
    url = "postgresql+psycopg://postgres@127.0.0.1:1/rueang"
    for args in (["jobs", "run", "sla-flags"], ["cases", "count"]):
        result = _flask(tmp_path, *args, url=url, timeout=60)
        assert result.returncode == 1, result.stderr[-2000:]
        assert "Traceback" not in result.stderr, result.stderr[-2000:]
        assert "is the database server running, and is DATABASE_URL right?" in result.stderr


def test_a_command_prints_no_start_up_noise(tmp_path):
    """Every command began with seven lines of Alembic naming its plugins at INFO."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'quiet.db'}", "RUEANG_ENV": "test"}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "jobs", "list"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "setup plugin" not in result.stderr, result.stderr[-2000:]
    assert "sla-flags" in result.stdout


def test_fab_create_db_is_refused_and_leaves_the_database_to_migrations(tmp_path):
    """Flask-AppBuilder's create-db made every table by create_all, without alembic's record, so
    that `db upgrade` then failed on a table that already existed and the database was unusable."""
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    refused = _flask(tmp_path, "fab", "create-db", url=url)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "run `flask --app app db upgrade`" in refused.stderr and "Nothing was changed." in refused.stderr
    upgraded = _flask(tmp_path, "db", "upgrade", url=url)
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    assert _flask(tmp_path, "cases", "count", url=url).stdout.strip().splitlines()[-1] == "0"


def test_db_upgrade_on_a_database_it_cannot_reach_says_what_to_do(tmp_path):
    """`db upgrade`, the first command of a set-up, ended in a 150-line traceback when the server
    was down or the database not created yet."""
    result = _flask(tmp_path, "db", "upgrade", url="postgresql+psycopg://postgres@127.0.0.1:1/rueang")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "is the database server running, and is DATABASE_URL right?" in result.stderr


def test_the_monthly_workbook_refuses_an_unknown_agency_and_says_why_in_english(app, tmp_path):
    """--agency XXX wrote a workbook of no agency and ended "ok": true; a month that cannot be
    was refused in Thai, where every other message of the command line is English."""
    target = tmp_path / "month.xlsx"
    result, lines = _cli(app, "cases", "export-monthly", str(target), "--month", "2026-11", "--agency", "XXX")
    assert result.exit_code == 1, result.output
    assert _summary(lines) == {"file": str(target), "ok": False, "error": "No such agency: 'XXX'"}
    assert not target.exists()
    result, lines = _cli(app, "cases", "export-monthly", str(target), "--month", "2026-13")
    assert result.exit_code == 1, result.output
    error = _summary(lines)["error"]
    assert "2026-13" in error and error.isascii(), error
    result, lines = _cli(app, "cases", "export-monthly", str(target), "--month", "2026-11", "--agency", "diw")
    assert result.exit_code == 0 and _summary(lines)["ok"] is True, result.output


def test_export_reads_a_status_as_it_reads_an_agency_code(app, tmp_path, make_case):
    """--agency diw was DIW, but --status Resolved was an unknown status."""
    make_case("DIW")
    target = tmp_path / "out.xlsx"
    result, lines = _cli(app, "cases", "export", str(target), "--agency", "diw", "--status", " Received ")
    assert result.exit_code == 0, result.output
    assert _summary(lines)["ok"] is True and _summary(lines)["cases"] >= 1


def test_the_simulator_on_a_port_in_use_names_the_way_out(app):
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        result, _ = _cli(app, "simulate-departments", "--port", str(holder.getsockname()[1]))
    assert result.exit_code == 1, result.output
    assert "another simulator (make run starts one) or another program uses that port" in result.output
    assert "--port" in result.output
