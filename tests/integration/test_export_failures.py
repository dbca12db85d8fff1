"""An export that cannot be finished changes nothing: an earlier workbook at the target stays as it
was, no partial workbook and none of the writer's temporary files (rows of names, phones and ID
numbers) are left anywhere, and the command line ends with its failed summary, not a traceback."""
from __future__ import annotations

import errno
import json
import os
import tempfile
import time
import zipfile
from datetime import datetime, timedelta, timezone

import pytest

EXPORT_COMMANDS = {
    "export": [],
    "export-monthly": ["--month", datetime.now(timezone(timedelta(hours=7))).strftime("%Y-%m")],
}


def _cli(app, command: str, target) -> tuple:
    result = app.test_cli_runner().invoke(args=["cases", command, str(target), *EXPORT_COMMANDS[command]])
    lines = [line for line in result.output.splitlines() if line.strip()]
    return result, json.loads(lines[-1])


def _ended_without_a_traceback(result) -> bool:
    return result.exit_code == 1 and isinstance(result.exception, SystemExit)


@pytest.fixture()
def private_temp_dir(monkeypatch, tmp_path):
    """The system's temporary folder, for this test alone: what an export leaves there shows."""
    folder = tmp_path / "system-temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _disk_full(monkeypatch):
    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", no_space)


def _interrupt_after_first_row(monkeypatch):
    from app.services.case_export import SheetWriter

    append = SheetWriter.append

    def interrupted(self, values):
        append(self, values)
        raise KeyboardInterrupt

    monkeypatch.setattr(SheetWriter, "append", interrupted)


@pytest.mark.parametrize("command", EXPORT_COMMANDS)
def test_a_name_too_long_for_the_disk_ends_with_a_failed_summary(app, make_case, tmp_path, private_temp_dir,
                                                                 command):
    make_case("DIW")
    folder = tmp_path / "out"
    folder.mkdir()
    result, summary = _cli(app, command, folder / ("x" * 300 + ".xlsx"))
    assert _ended_without_a_traceback(result), result.output
    assert summary["ok"] is False and "File name too long" in summary["error"], summary
    assert list(folder.iterdir()) == [] and list(private_temp_dir.iterdir()) == []


@pytest.mark.parametrize("command", EXPORT_COMMANDS)
def test_a_full_disk_keeps_the_earlier_export(app, make_case, tmp_path, private_temp_dir, monkeypatch, command):
    make_case("DIW")
    target = tmp_path / "out.xlsx"
    result, summary = _cli(app, command, target)
    assert result.exit_code == 0 and summary["ok"] is True, result.output
    assert sorted(tmp_path.iterdir()) == sorted([target, private_temp_dir])
    earlier = target.read_bytes()

    _disk_full(monkeypatch)
    result, summary = _cli(app, command, target)
    assert _ended_without_a_traceback(result), result.output
    assert summary["ok"] is False and "No space left on device" in summary["error"], summary
    assert target.read_bytes() == earlier
    assert sorted(tmp_path.iterdir()) == sorted([target, private_temp_dir])
    assert list(private_temp_dir.iterdir()) == []


@pytest.mark.parametrize("command", EXPORT_COMMANDS)
def test_an_interrupted_command_leaves_the_earlier_export_and_says_so(app, make_case, tmp_path, private_temp_dir,
                                                                      monkeypatch, command):
    make_case("DIW")
    target = tmp_path / "out.xlsx"
    assert _cli(app, command, target)[0].exit_code == 0
    earlier = target.read_bytes()

    _interrupt_after_first_row(monkeypatch)
    result, summary = _cli(app, command, target)
    assert _ended_without_a_traceback(result), result.output
    assert summary["ok"] is False and "interrupted" in summary["error"].lower(), summary
    assert target.read_bytes() == earlier
    assert sorted(tmp_path.iterdir()) == sorted([target, private_temp_dir])
    assert list(private_temp_dir.iterdir()) == []


def test_an_export_stopped_by_an_error_midway_leaves_no_files(app, make_case, tmp_path, private_temp_dir,
                                                             monkeypatch):
    from app.extensions import db
    from app.services.case_export import SheetWriter, export_cases
    from app.services.case_import import command_line_actor

    make_case("DIW")
    make_case("DIW")

    def broken(self, values):
        raise RuntimeError("a row that cannot be written")

    monkeypatch.setattr(SheetWriter, "append", broken)
    with app.app_context(), pytest.raises(RuntimeError):
        export_cases(db.session, command_line_actor(), tmp_path / "out.xlsx")
    assert sorted(tmp_path.iterdir()) == [private_temp_dir] and list(private_temp_dir.iterdir()) == []


def _background_export(app, tmp_path, monkeypatch):
    from sqlalchemy import func, select

    from app.models import Case
    from app.services import export_runs
    from app.services.case_export import export_statement
    from app.services.case_import import command_line_actor

    folder = tmp_path / "exports"
    monkeypatch.setitem(app.config, "EXCEL_EXPORT_DIR", str(folder))
    with app.app_context():
        export = export_runs.StoredExport.begin(export_runs.export_dir(), owner={"user_id": None}, download_name="cases.xlsx")
    statement = export_statement(command_line_actor())
    return folder, export, lambda: export_runs.make_export(export, statement, select(func.count(Case.id)), "th")


def test_a_background_export_that_fails_to_write_leaves_nothing_to_download(app, make_case, tmp_path,
                                                                            private_temp_dir, monkeypatch):
    make_case("DIW")
    folder, export, run = _background_export(app, tmp_path, monkeypatch)
    _disk_full(monkeypatch)
    with app.app_context():
        run()
    assert export.status()["state"] == "failed"
    assert not export.sheet.exists()
    assert {path.name for path in folder.iterdir()} <= {export.status_path.name, export.lock_path.name}
    assert list(private_temp_dir.iterdir()) == []


def test_an_interrupted_background_export_leaves_no_files_and_is_marked_failed(app, make_case, tmp_path,
                                                                              private_temp_dir, monkeypatch):
    make_case("DIW")
    folder, export, run = _background_export(app, tmp_path, monkeypatch)
    _interrupt_after_first_row(monkeypatch)
    with app.app_context(), pytest.raises(KeyboardInterrupt):
        run()
    assert export.status()["state"] == "failed"
    assert not export.sheet.exists()
    assert {path.name for path in folder.iterdir()} <= {export.status_path.name, export.lock_path.name}
    assert list(private_temp_dir.iterdir()) == []


def test_a_background_export_that_succeeds_leaves_only_its_workbook(app, make_case, tmp_path, private_temp_dir,
                                                                    monkeypatch):
    make_case("DIW")
    folder, export, run = _background_export(app, tmp_path, monkeypatch)
    with app.app_context():
        run()
    assert export.status()["state"] == "done" and export.status()["rows"] == 1
    assert {path.name for path in folder.iterdir()} <= {export.sheet.name, export.status_path.name,
                                                        export.lock_path.name}
    assert zipfile.is_zipfile(export.sheet)
    assert list(private_temp_dir.iterdir()) == []


def test_a_stale_partial_folder_is_purged_with_the_expired_work(tmp_path):
    """A worker killed outright leaves its partial folder behind; it goes as expired files do."""
    from app.services.work_files import purge_expired

    stale = tmp_path / ".export-stale"
    stale.mkdir()
    (stale / "tmpabc").write_text("rows")
    fresh = tmp_path / ".export-fresh"
    fresh.mkdir()
    long_ago = time.time() - 3 * 3600
    for path in (stale / "tmpabc", stale):
        os.utime(path, (long_ago, long_ago))
    purge_expired(tmp_path, 2 * 3600)
    assert not stale.exists() and fresh.exists()


@pytest.mark.parametrize("url", ["/cases/excel/template.xlsx", "/cases/excel/monthly.xlsx?month=2026-01"])
def test_a_download_that_cannot_be_written_leaves_no_temporary_file(app, browser, private_temp_dir, monkeypatch,
                                                                     url):
    """The template and the monthly workbook are written to a temporary file for the response; a
    failure left it (and xlsxwriter's own files) in the system's temporary folder."""
    _disk_full(monkeypatch)
    user = browser("diw.clerk" if "template" in url else "diw.manager")
    with pytest.raises(OSError):
        user.get(url)
    assert list(private_temp_dir.iterdir()) == []


def test_an_errors_workbook_that_cannot_be_written_leaves_nothing_at_its_path(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from app.services.import_files import write_errors_workbook

    target = tmp_path / "errors.xlsx"
    target.write_bytes(b"an earlier one")
    plan = SimpleNamespace(header_cells=["title"], header_row=1, bad=[])
    _disk_full(monkeypatch)
    with pytest.raises(OSError):
        write_errors_workbook(target, plan, [["title"]])
    assert target.read_bytes() == b"an earlier one" and [p.name for p in tmp_path.iterdir()] == ["errors.xlsx"]


def test_the_purge_job_removes_expired_uploads_and_exports_each_whole(app, tmp_path):
    """Uploads and exports (names, phones, IDs) were purged only when someone uploaded or exported
    again. An import still being saved keeps its sheet, uploaded long ago, beside its fresh status."""
    from tests.integration.jobs_support import run

    imports, exports = tmp_path / "imports", tmp_path / "exports"
    imports.mkdir()
    exports.mkdir()
    long_ago = time.time() - 3 * 3600
    old_upload = [imports / "old.sheet", imports / "old.json", imports / "old.errors.xlsx"]
    saving = [imports / "saving.sheet", imports / "saving.json"]
    old_export = [exports / "done.xlsx", exports / "done.json"]
    for path in old_upload + saving + old_export:
        path.write_text("x")
    for path in old_upload + old_export + [imports / "saving.sheet"]:
        os.utime(path, (long_ago, long_ago))
    settings = {"EXCEL_IMPORT_DIR": str(imports), "EXCEL_EXPORT_DIR": str(exports)}
    previous = {key: app.config.get(key) for key in settings}
    app.config.update(settings)
    try:
        [result] = run(app, "purge-work-files")
    finally:
        app.config.update(previous)
    assert result.status == "succeeded" and result.changed == 2
    assert sorted(p.name for p in imports.iterdir()) == ["saving.json", "saving.sheet"]
    assert list(exports.iterdir()) == []
