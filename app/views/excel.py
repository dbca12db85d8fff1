"""The Excel screens: the clerk's upload, preview and commit of a legacy register; the template;
the export of the case list as filtered on screen; the monthly management workbook.

Thin: uploads are stored and run by app.services.import_uploads, files written by the services.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone

from flask import abort, current_app, flash, jsonify, make_response, redirect, request, send_file, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_appbuilder.urltools import get_filter_args, get_order_args
from sqlalchemy import func, select

from app.domain.errors import RuleError
from app.domain.local_time import BANGKOK
from app.domain.thai_dates import month_pattern, shown_month
from app.extensions import db
from app.i18n import lang
from app.models import Agency, Case, CaseType
from app.services import export_runs, import_uploads
from app.services.background import run_in_background
from app.services.case_export import export_statement, write_cases
from app.services.case_import import import_actor
from app.services.db import begin_read_only
from app.services.import_files import write_template
from app.services.scope import agency_clause, current_actor
from app.services.work_files import owner_of
from app.web import with_args
from app.views.cases import CASE_PERMISSIONS, CaseView
from app.views.date_fields import unread_day_filters
from app.views.excel_texts import texts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_UPLOAD_MAX_BYTES = 20 * 2**20
# Lists up to this many cases are exported while the browser waits (about a second); longer ones
# in the background, with a progress page.
DEFAULT_EXPORT_INLINE_MAX_ROWS = 10_000


def _gone(error: RuleError, page: bool):
    """Work that expired, was cancelled or is not the user's: a 404, which on a page says why in
    the reader's language (upload the file again, export the list again) rather than the
    generic "no such page"; what a script reads gets the plain 404."""
    if not page:
        abort(404)
    from app.views.errors import error_page

    abort(make_response(error_page(404, error.code, error.message_th, error.message_en)))


def _send_temporary(path: str, download_name: str):
    """Send a file written for this response, and remove it once sent."""
    handle = open(path, "rb")
    os.unlink(path)  # the open handle keeps the data until the response is closed
    return send_file(handle, mimetype=XLSX, as_attachment=True, download_name=download_name)


@contextmanager
def _temporary_path(suffix: str = ".xlsx") -> Iterator[str]:
    """A path for a workbook written for this response; removed if the writing fails (sent and
    removed by _send_temporary when it does not)."""
    handle, path = tempfile.mkstemp(suffix=suffix, prefix="rueang-export-")
    os.close(handle)
    try:
        yield path
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(path)
        raise


class CaseExcelView(BaseView):
    route_base = "/cases/excel"
    default_view = "upload_form"
    class_permission_name = "Case"
    base_permissions = CASE_PERMISSIONS
    method_permission_name = {
        "upload_form": "import", "upload": "import", "preview": "import", "upload_status": "import",
        "commit": "import", "cancel": "import", "errors": "import", "template": "import",
        "export_list": "export", "export_progress": "export", "export_status": "export", "export_file": "export",
        "monthly_form": "export", "monthly": "export",
    }

    # ---- import ---------------------------------------------------------------------------

    def _agencies(self, actor):
        if not actor.ministry_wide:
            return []
        return db.session.execute(select(Agency).where(Agency.active.is_(True)).order_by(Agency.id)).scalars().all()

    @expose("/import", methods=["GET"])
    @has_access
    def upload_form(self):
        self.update_redirect()  # the screens' history: the language menu comes back here
        return self._upload_page()

    def _upload_page(self, refusal: str | None = None, field: str | None = None, agency: str = ""):
        """The upload form; a refusal is shown at the top (the focus goes there) and tied to the
        field it is about, `file` or `agency` (the agency chosen stays chosen). The request's body
        is not read here: a file too large is refused before reading it."""
        return self.render_template("excel/import.html", t=texts(lang()), agencies=self._agencies(current_actor()),
                                    lang=lang(), max_mb=self._max_bytes() // 2**20, refusal=refusal,
                                    refused_field=field, chosen_agency=agency)

    def _max_bytes(self) -> int:
        return int(current_app.config.get("EXCEL_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES))

    def _refuse(self, message: str, field: str = "file", agency: str = ""):
        return self._upload_page(message, field, agency), 400

    @expose("/import", methods=["POST"])
    @has_access
    def upload(self):
        language = lang()
        limit = self._max_bytes()
        if request.content_length and request.content_length > limit + 64 * 1024:
            return self._refuse(import_uploads.FileTooLarge(limit).message(language))
        upload_file = request.files.get("file")
        if upload_file is None or not upload_file.filename:
            return self._refuse(texts(language)["choose_file"])
        actor = current_actor()
        agency_code = (request.form.get("agency") or "").strip().upper() or None
        user = current_actor_user()
        file_name = os.path.basename(upload_file.filename.replace("\\", "/"))[:200] or "upload.xlsx"
        from app.services.case_import import resolve_agency

        try:
            agency = resolve_agency(db.session, import_actor(user), agency_code)
        except RuleError as error:
            if error.http_status == 403:
                abort(403)
            return self._refuse(error.message(language), "agency" if self._agencies(actor) else "file",
                                agency_code or "")
        try:
            stored = import_uploads.StoredUpload.create(
                import_uploads.upload_dir(), upload_file.stream, owner=owner_of(actor), agency_code=agency.code,
                file_name=file_name, max_bytes=limit)
        except RuleError as error:
            if error.http_status == 403:
                abort(403)
            return self._refuse(error.message(language), agency=agency.code)
        run_in_background(current_app._get_current_object(), import_uploads.check_upload,
                          import_actor(user, file_name), stored, agency.code, file_name, name="excel-import")
        return redirect(url_for(".preview", token=stored.token))

    def _stored(self, token: str, *, page: bool = True) -> import_uploads.StoredUpload:
        """The user's upload; one that expired or was cancelled is a 404 that says so (_gone)."""
        try:
            return import_uploads.StoredUpload.find(import_uploads.upload_dir(), token, owner_of(current_actor()))
        except RuleError as gone:
            _gone(gone, page)

    @expose("/import/<token>", methods=["GET"])
    @has_access
    def preview(self, token):
        stored = self._stored(token)
        status = stored.status() or {}
        language = lang()
        self.update_redirect()
        return self.render_template("excel/preview.html", t=texts(language), status=status, token=token, lang=language,
                                    has_errors_file=stored.errors.exists())

    @expose("/import/<token>/status", methods=["GET"])
    @has_access
    def upload_status(self, token):
        status = self._stored(token, page=False).status() or {}
        return jsonify({key: status.get(key) for key in ("state", "progress", "counts")})

    @expose("/import/<token>/commit", methods=["POST"])
    @has_access
    def commit(self, token):
        stored = self._stored(token)
        status = stored.status() or {}
        valid_only = request.form.get("valid_only") == "1"
        # One commit per file: a second click finds it committing already.
        if not stored.sheet.exists() or not stored.move(("ready", "failed"), {
                "state": "committing", "valid_only": valid_only, "progress": {"stage": "read", "done": 0, "total": 0}}):
            return redirect(url_for(".preview", token=token))
        user = current_actor_user()
        run_in_background(current_app._get_current_object(), import_uploads.commit_upload,
                          import_actor(user, status.get("file_name")), stored, status.get("agency_code"),
                          status.get("file_name") or "upload.xlsx", valid_only, name="excel-import")
        return redirect(url_for(".preview", token=token))

    @expose("/import/<token>/cancel", methods=["POST"])
    @has_access
    def cancel(self, token):
        stored = self._stored(token)
        # An import being saved, or saved already (a Cancel on a page the Back button brought
        # back), is not cancelled: the clerk is told so, on its page.
        if stored.remove_unless(("committing", "done")):
            flash(texts(lang())["cancelled"], "info")
            return redirect(url_for(".upload_form"))
        flash(texts(lang())["not_cancelled"], "warning")
        return redirect(url_for(".preview", token=token))

    @expose("/import/<token>/errors.xlsx", methods=["GET"])
    @has_access
    def errors(self, token):
        stored = self._stored(token)  # a link people click: the 404 says why
        if not stored.errors.exists():
            abort(404)
        name = os.path.splitext((stored.status() or {}).get("file_name") or "import")[0]
        return send_file(stored.errors, mimetype=XLSX, as_attachment=True, download_name=f"{name}-errors.xlsx")

    @expose("/template.xlsx", methods=["GET"])
    @has_access
    def template(self):
        actor = current_actor()
        language = request.args.get("lang") if request.args.get("lang") in ("th", "en", "both") else "both"
        types = db.session.execute(select(CaseType.code, CaseType.name_th, CaseType.name_en)
                                   .where(agency_clause(actor, CaseType.agency_id), CaseType.active.is_(True))
                                   .order_by(CaseType.agency_id, CaseType.id)).all()
        with _temporary_path() as path:
            write_template(path, language, [tuple(row) for row in types])
        return _send_temporary(path, "rueang-import-template.xlsx")

    # ---- export ---------------------------------------------------------------------------

    @expose("/export", methods=["GET", "POST"])
    @has_access
    def export_list(self):
        """The case list as filtered on screen: the list view's own filters, read from the same
        request arguments, joined with its base filters (the agency scope), in its order. A list
        longer than a quick export is written in the background, on a page that shows progress:
        started only by the list's button (a form with its CSRF token), never by a link another
        site could have a browser follow, and one at a time per user."""
        actor = current_actor()
        view = _case_view(self.appbuilder)
        filters = view.datamodel.get_filters(view.search_columns)
        get_filter_args(filters)
        if next(unread_day_filters(filters), None) is not None:
            # The list leaves such a filter out and says so; an export would list other cases
            # than the clerk asked for without a word. The list names the filter to correct.
            flash(texts(lang())["export_unread_filter"], "danger")
            return redirect(with_args(url_for("CaseView.list"), request.args.items(multi=True)))
        joined = filters.get_joined_filters(view._base_filters)
        listed = view.datamodel.apply_all(db.session.query(Case), joined)
        ids = listed.with_entities(Case.id).order_by(None).subquery()
        order_column, direction = get_order_args().get(view.__class__.__name__, view.base_order)
        if order_column not in view.order_columns:
            order_column, direction = view.base_order
        column = getattr(Case, order_column)
        statement = export_statement(actor, [Case.id.in_(select(ids.c.id))],
                                     [column.desc() if direction == "desc" else column.asc()])
        stamp = datetime.now(timezone.utc).astimezone(BANGKOK).strftime("%Y%m%d-%H%M")
        download_name = f"cases-{stamp}.xlsx"
        quick = int(current_app.config.get("EXCEL_EXPORT_INLINE_MAX_ROWS", DEFAULT_EXPORT_INLINE_MAX_ROWS))
        if db.session.execute(select(func.count()).select_from(select(ids.c.id).limit(quick + 1).subquery())
                              ).scalar_one() > quick:
            if request.method != "POST":
                return self.render_template("excel/export_confirm.html", t=texts(lang()), rows=quick,
                                            action=with_args(request.path, request.args.items(multi=True)))
            owner = owner_of(actor)
            running = export_runs.StoredExport.running_of(export_runs.export_dir(), owner)
            if running is not None:
                flash(texts(lang())["export_running"], "info")
                return redirect(url_for(".export_progress", token=running.token))
            export = export_runs.StoredExport.begin(export_runs.export_dir(), owner=owner,
                                                    download_name=download_name)
            run_in_background(current_app._get_current_object(), export_runs.make_export, export, statement,
                              select(func.count()).select_from(ids), lang(), name="excel-export")
            # "auto": the page starts the download itself once the file is ready, this once.
            return redirect(url_for(".export_progress", token=export.token, download="auto"))
        with _temporary_path() as path:
            begin_read_only(db.session)
            write_cases(db.session, path, statement, lang=lang())
        return _send_temporary(path, download_name)

    def _export(self, token: str, *, page: bool = True) -> export_runs.StoredExport:
        """The user's background export; one that expired is a 404 that says so (_gone)."""
        try:
            return export_runs.StoredExport.find(export_runs.export_dir(), token, owner_of(current_actor()))
        except RuleError as gone:
            _gone(gone, page)

    @expose("/export/<token>", methods=["GET"])
    @has_access
    def export_progress(self, token):
        export = self._export(token)
        return self.render_template("excel/export.html", t=texts(lang()), status=export.status() or {},
                                    token=token, lang=lang())

    @expose("/export/<token>/status", methods=["GET"])
    @has_access
    def export_status(self, token):
        status = self._export(token, page=False).status() or {}
        return jsonify({key: status.get(key) for key in ("state", "progress", "rows")})

    @expose("/export/<token>/file", methods=["GET"])
    @has_access
    def export_file(self, token):
        export = self._export(token)
        status = export.status() or {}
        if status.get("state") != "done" or not export.sheet.exists():
            return redirect(url_for(".export_progress", token=token))
        return send_file(export.sheet, mimetype=XLSX, as_attachment=True,
                         download_name=status.get("download_name") or "cases.xlsx")

    @expose("/monthly", methods=["GET"])
    @has_access
    def monthly_form(self):
        self.update_redirect()  # the screens' history: the language menu comes back here
        return self._monthly_page()

    def _monthly_page(self, typed: str | None = None):
        """The monthly report's form: last month in the field, or a refused month as typed."""
        now = datetime.now(timezone.utc).astimezone(BANGKOK)
        language = lang()
        previous = shown_month(now.year - (now.month == 1), (now.month - 2) % 12 + 1, language)
        return self.render_template("excel/monthly.html", t=texts(language), month=typed or previous, lang=language,
                                    month_pattern=month_pattern(language))

    @expose("/monthly.xlsx", methods=["GET"])
    @has_access
    def monthly(self):
        from app.services.monthly_report import parse_month, write_monthly

        try:
            month = parse_month(request.args.get("month"))
        except RuleError as error:
            flash(error.message(lang()), "danger")
            return self._monthly_page(typed=request.args.get("month")), 400
        actor = current_actor()
        with _temporary_path() as path:
            begin_read_only(db.session)
            write_monthly(db.session, actor, path, month, lang=lang())
        return _send_temporary(path, f"monthly-{month.year}-{month.month:02d}.xlsx")


def current_actor_user():
    from flask import g

    return getattr(g, "user", None)


def _case_view(appbuilder) -> CaseView:
    for view in appbuilder.baseviews:
        if isinstance(view, CaseView):
            return view
    raise LookupError("the case list view is not registered")


def register_excel(appbuilder) -> None:
    from flask_babel import lazy_gettext as _l

    appbuilder.add_view(CaseExcelView, "Import from Excel", href="/cases/excel/import", icon="fa-upload",
                        label=_l("Import from Excel"), category="Cases")
    # The case list's "Export to Excel" button reads its label through this.
    current_app.jinja_env.globals["excel_text"] = lambda key: texts(lang())[key]
    appbuilder.add_link("Monthly report", href="/cases/excel/monthly", icon="fa-file-excel-o",
                        label=_l("Monthly report"), category="Cases")
