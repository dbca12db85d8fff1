"""Screens of the jobs area: job runs (administrators and agency managers), extra holidays and
unknown external statuses (administrators)."""
from __future__ import annotations

import logging
from datetime import date, datetime

from flask import flash
from markupsafe import Markup
from flask_appbuilder import ModelView
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from sqlalchemy import or_

from app.domain import job_messages
from app.domain.jobs import RUN_STATUS_LABELS
from app.domain.statuses import label
from app.i18n import format_date, format_datetime, lang
from app.models import ExtraHoliday, JobRun, UnknownExternalStatus
from app.services.scope import agency_clause, current_actor
from app.views.crud import AdminCrudMixin
from app.views.datamodel import BoundedPagesMixin
from app.views.date_fields import DateEntryMixin
from app.views.forms import LabelledSelectField
from app.views.sync_settings import kind_label

log = logging.getLogger(__name__)

READ_ONLY = {"list": "read", "show": "read"}
READ_WRITE = {"list": "read", "show": "read", "add": "write", "edit": "write", "delete": "write"}


class JobRunScopeFilter(BaseFilter):
    """A manager sees their agency's runs and the ministry-wide ones (SLA flags cover their cases
    too); administrators see all."""

    name = "Job run scope"
    arg_name = "job_run_scope"

    def apply(self, query, value):
        column = getattr(self.model, self.column_name)
        return query.filter(or_(agency_clause(current_actor(), column), column.is_(None)))


def _agency_label(agency) -> str:
    return agency.label(lang()) if agency is not None else _("All agencies")


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    thai = lang() == "th"
    if seconds < 120:
        return f"{seconds:.1f} " + ("วินาที" if thai else "s")
    return f"{seconds / 60:.1f} " + ("นาที" if thai else "min")


def _run_status(status: str) -> Markup:
    """The status in words, marked so that the page can tell a running run (it then refreshes)."""
    return Markup('<span data-run-status="{}">{}</span>').format(status, label(RUN_STATUS_LABELS, status, lang()))


def _shown_date(value):
    """An ISO date a job wrote, as the screens write dates (B.E. on a Thai screen)."""
    try:
        return format_date(date.fromisoformat(value)) if isinstance(value, str) else value
    except ValueError:
        return value


def _details(details) -> str:
    """A run's details, one per line (the page keeps line breaks), counts and times formatted."""
    lines = []
    details = dict(details or {})
    if details.get("connector_kind"):
        details["connector_kind"] = kind_label(details["connector_kind"])
    # The times a job wrote as ISO text, by their keys: a reference or a status may look like one.
    for key in job_messages.TIME_DETAILS:
        if isinstance(details.get(key), str):
            try:
                details[key] = format_datetime(datetime.fromisoformat(details[key]))
            except ValueError:
                pass
    for group, keys in job_messages.DATE_DETAILS.items():
        if isinstance(details.get(group), dict):
            details[group] = {key: _shown_date(value) if key in keys else value
                              for key, value in details[group].items()}
    for name, value in job_messages.detail_lines(details, lang()):
        if isinstance(value, int):
            value = f"{value:,}"
        lines.append(f"{name}: {value}")
    return "\n".join(lines)


class JobRunView(BoundedPagesMixin, DateEntryMixin, ModelView):
    route_base = "/job-runs"
    datamodel = SQLAInterface(JobRun)
    class_permission_name = "JobRun"
    method_permission_name = READ_ONLY
    base_permissions = ["can_read"]
    # Runs are written by the jobs alone: the record is the audit of what they did.
    exclude_route_methods = {"add", "edit", "delete", "action", "action_post", "api", "api_read", "api_get",
                             "api_create", "api_update", "api_delete", "api_column_add", "api_column_edit",
                             "api_readvalues"}
    base_filters = [["agency_id", JobRunScopeFilter, None]]
    base_order = ("started_at", "desc")
    page_size = 50
    # Both refresh themselves every few seconds while a run they show is running.
    list_template = "rueang/job_runs_list.html"
    show_template = "rueang/job_run_show.html"
    list_title = _l("Job runs")
    show_title = _l("Job run")
    list_columns = ["job", "agency", "status", "started_at", "duration", "fetched", "changed", "errors", "report"]
    show_columns = ["job", "agency", "status", "started_at", "finished_at", "duration", "fetched", "changed",
                    "errors", "report", "details", "runner"]
    search_columns = ["job", "agency", "status", "started_at"]
    order_columns = ["job", "status", "started_at", "fetched", "changed", "errors"]
    search_form_extra_fields = {"status": LabelledSelectField(_l("Status"), labels=RUN_STATUS_LABELS)}
    label_columns = {
        "job": _l("Job"), "agency": _l("Agency"), "status": _l("Status"), "started_at": _l("Started"),
        "finished_at": _l("Finished"), "duration": _l("Duration"), "fetched": _l("Read"),
        "changed": _l("Changed"), "errors": _l("Errors"), "report": _l("Reason or note"),
        "details": _l("Details"), "runner": _l("Run by (host:process)"),
    }
    formatters_columns = {
        "job": lambda v: job_messages.job_label(v, lang()),
        "status": _run_status,
        "agency": _agency_label,
        "started_at": format_datetime,
        "finished_at": format_datetime,
        "duration": _duration,
        "report": lambda report: job_messages.shown(*report, lang()),
        "details": _details,
    }


def _rebuild_calendar() -> None:
    """A holiday change takes effect at once in the calendar table; if the rebuild fails the
    next sla-flags run, which checks the table before using it, rebuilds it instead."""
    from app.services.calendar_days import rebuild_calendar
    from app.services.db import transaction

    try:
        with transaction() as session:
            check = rebuild_calendar(session)
    except Exception:
        log.exception("could not rebuild the working-day calendar after a holiday change")
        flash(_("The holiday was saved; the working-day calendar will be updated by the next SLA run."), "warning")
        return
    if check.recounted:
        flash(ngettext("The changed day falls inside a pause that had ended: the paused working days of "
                       "%(num)d case were counted again.",
                       "The changed day falls inside pauses that had ended: the paused working days of "
                       "%(num)d cases were counted again.", check.recounted), "info")


class ExtraHolidayView(DateEntryMixin, AdminCrudMixin, ModelView):
    route_base = "/extra-holidays"
    datamodel = SQLAInterface(ExtraHoliday)
    class_permission_name = "ExtraHoliday"
    method_permission_name = READ_WRITE
    base_permissions = ["can_read", "can_write"]
    exclude_route_methods = {"action", "action_post"}
    base_order = ("day", "desc")
    list_title = _l("Extra holidays")
    show_title = _l("Extra holiday")
    add_title = _l("Add an extra holiday")
    edit_title = _l("Edit an extra holiday")
    list_columns = ["day", "name_th", "name_en"]
    add_columns = edit_columns = show_columns = ["day", "name_th", "name_en"]
    search_columns = ["day", "name_th", "name_en"]
    label_columns = {"day": _l("Date"), "name_th": _l("Thai name"), "name_en": _l("English name")}
    description_columns = {
        "day": _l("A day off the government declares beyond the public holidays. Due dates and SLA "
                  "flags take it into account from the next SLA run (within five minutes)."),
    }
    formatters_columns = {"day": format_date}

    def post_add(self, item):
        _rebuild_calendar()

    def post_update(self, item):
        _rebuild_calendar()

    def post_delete(self, item):
        _rebuild_calendar()


class UnknownExternalStatusView(ModelView):
    route_base = "/unknown-external-statuses"
    datamodel = SQLAInterface(UnknownExternalStatus)
    class_permission_name = "UnknownExternalStatus"
    method_permission_name = {"list": "read", "show": "read", "delete": "write"}
    base_permissions = ["can_read", "can_write"]
    exclude_route_methods = {"add", "edit", "action", "action_post"}
    base_order = ("last_seen", "desc")
    list_title = _l("Unknown external statuses")
    show_title = _l("Unknown external status")
    list_columns = ["agency", "external_status", "count", "first_seen", "last_seen", "example_ref"]
    show_columns = list_columns
    search_columns = ["agency", "external_status"]
    label_columns = {
        "agency": _l("Agency"), "external_status": _l("Status in the departmental system"),
        "count": _l("Times seen"), "first_seen": _l("First seen"), "last_seen": _l("Last seen"),
        "example_ref": _l("Example reference"),
    }
    description_columns = {
        "external_status": _l("Add it to the agency's status map; updates with it are not applied until then."),
    }
    formatters_columns = {
        "agency": _agency_label,
        "first_seen": format_datetime,
        "last_seen": format_datetime,
    }


def register_jobs_views(appbuilder) -> None:
    appbuilder.add_view(JobRunView, "Job runs", icon="fa-history", label=_l("Job runs"),
                        category="Administration", category_label=_l("Administration"), category_icon="fa-cogs")
    appbuilder.add_view(ExtraHolidayView, "Extra holidays", icon="fa-calendar", label=_l("Extra holidays"),
                        category="Administration")
    appbuilder.add_view(UnknownExternalStatusView, "Unknown external statuses", icon="fa-question-circle",
                        label=_l("Unknown external statuses"), category="Administration")
