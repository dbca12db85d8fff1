"""Administrators' screens for agencies and case types."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, url_for
from flask_appbuilder import ModelView, expose
from flask_appbuilder.fieldwidgets import BS3TextAreaFieldWidget
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import NumberRange, Optional

from app.domain import agency_contact
from app.domain.statuses import KIND_LABELS, label
from app.domain.tracking import check_agency_code
from app.i18n import blank_if_none, lang, yes_no
from app.models import Agency, Case, CaseType
from app.services.background import run_in_background
from app.services.scope import scope_filters
from app.views.crud import AdminCrudMixin, RecordInUse
from app.views.forms import LabelledSelectField, rule_validator
from app.views.sync_settings import (
    SYNC_EDIT_COLUMNS, SYNC_FORMATTERS, SYNC_LABELS, SYNC_SHOW_COLUMNS, SYNC_VALIDATORS, SyncSettingsMixin,
    sync_form_extra_fields,
)

READ_WRITE = {"list": "read", "show": "read", "add": "write", "edit": "write", "delete": "write",
              "action": "write", "action_post": "write"}


CONTACT_COLUMNS = ["contact_phone", "contact_email", "contact_office"]


class AgencyView(AdminCrudMixin, SyncSettingsMixin, ModelView):
    route_base = "/agencies"
    datamodel = SQLAInterface(Agency)
    class_permission_name = "Agency"
    method_permission_name = {**READ_WRITE, "sync_now": "write"}
    show_template = "rueang/agency_show.html"
    base_permissions = ["can_read", "can_write"]
    list_title = _l("Agencies")
    show_title = _l("Agency")
    add_title = _l("New agency")
    edit_title = _l("Edit agency")
    list_columns = ["code", "short_th", "name_th", "name_en", "active", "connector_kind", "sync_enabled",
                    "last_synced_at"]
    # Named, not left to Flask-AppBuilder's default of every column: a "contains" filter on the
    # connector settings would let a reader guess their hidden token one character at a time.
    search_columns = ["code", "short_th", "name_th", "name_en", "active", "connector_kind", "sync_enabled"]
    add_columns = edit_columns = ["code", "short_th", "name_th", "name_en", "description", "active",
                                  *CONTACT_COLUMNS, *SYNC_EDIT_COLUMNS]
    show_columns = ["code", "short_th", "name_th", "name_en", "description", "active", *CONTACT_COLUMNS,
                    *SYNC_SHOW_COLUMNS]
    label_columns = {"code": _l("Code"), "short_th": _l("Abbreviation"), "name_th": _l("Thai name"),
                     "name_en": _l("English name"), "description": _l("Description"), "active": _l("Active"),
                     "contact_phone": _l("Public phone"), "contact_email": _l("Public email"),
                     "contact_office": _l("Office and hours"), **SYNC_LABELS}
    description_columns = {
        "contact_phone": _l("Shown on the status page of every case the agency holds, with the email and the "
                            "office: a hotline such as 1569 or an office number such as 02-202-3000 ext. 1234, "
                            "several separated by commas. Never a person's own number."),
    }
    add_form_extra_fields = edit_form_extra_fields = {
        **sync_form_extra_fields(),
        "contact_office": TextAreaField(
            _l("Office and hours"), widget=BS3TextAreaFieldWidget(),
            description=_l("Where and when people can come or write, such as the office address and its "
                           "opening hours."),
            validators=[rule_validator(agency_contact.check_office)]),
    }
    formatters_columns = {**SYNC_FORMATTERS, "active": yes_no, "sync_enabled": yes_no,
                          **{column: blank_if_none for column in CONTACT_COLUMNS}}
    validators_columns = {
        **SYNC_VALIDATORS,
        "code": [rule_validator(check_agency_code)],
        "contact_phone": [rule_validator(agency_contact.check_phone)],
        "contact_email": [rule_validator(agency_contact.check_email)],
    }

    @expose("/sync-now/<int:pk>", methods=["POST"])
    @has_access
    def sync_now(self, pk):
        """One sync-status run for this agency, started now in the background, as the scheduler
        would start it: same job lock (a run already going makes this one a recorded skip), same
        run record, which the job runs list shows."""
        from app.jobs.runner import run_job
        from app.connectors import ConnectorConfigError
        from app.services.sync_status import connector_for

        agency = self.datamodel.get(pk)
        if agency is None:
            abort(404)
        try:
            connector_for(agency)
        except ConnectorConfigError as error:
            flash(_("This agency's departmental system cannot be reached as configured: %(reason)s",
                    reason=str(error)), "danger")
            return redirect(url_for(".show", pk=pk))
        run_in_background(current_app._get_current_object(), run_job, "sync-status", agency.code, name="sync-now")
        flash(_("Status sync for %(agency)s has started; its run appears in this list.", agency=agency.code), "info")
        return redirect(url_for("JobRunView.list", _flt_0_agency=pk))


class CaseTypeView(AdminCrudMixin, ModelView):
    route_base = "/case-types"
    datamodel = SQLAInterface(CaseType)
    class_permission_name = "CaseType"
    method_permission_name = READ_WRITE
    base_permissions = ["can_read", "can_write"]
    base_filters = scope_filters()
    list_title = _l("Case types")
    show_title = _l("Case type")
    add_title = _l("New case type")
    edit_title = _l("Edit case type")
    list_columns = ["code", "agency", "kind", "name_th", "name_en", "sla_days", "at_risk_share", "active"]
    add_columns = edit_columns = ["code", "agency", "kind", "name_th", "name_en", "sla_days", "at_risk_share",
                                  "first_response_days", "public", "active"]
    show_columns = add_columns
    search_columns = ["code", "agency", "kind", "name_th", "name_en", "active"]
    add_form_extra_fields = edit_form_extra_fields = {"kind": LabelledSelectField(_l("Kind"), labels=KIND_LABELS)}
    formatters_columns = {"kind": lambda v: label(KIND_LABELS, v, lang()), "active": yes_no, "public": yes_no,
                          "first_response_days": blank_if_none}
    label_columns = {"code": _l("Code"), "agency": _l("Agency"), "kind": _l("Kind"), "name_th": _l("Thai name"),
                     "name_en": _l("English name"), "sla_days": _l("SLA target (working days)"),
                     "at_risk_share": _l("At-risk share"), "first_response_days": _l("First response (working days)"),
                     "public": _l("On the public form"), "active": _l("Active")}
    validators_columns = {
        "sla_days": [NumberRange(min=1, max=3650)],
        "at_risk_share": [NumberRange(min=0.05, max=0.99)],
        "first_response_days": [Optional(), NumberRange(min=1, max=365)],
    }

    def pre_update(self, item):
        """A type's agency and kind are its cases' too: moved to another agency, its cases would
        carry a type that is not their agency's (and their export would not import back)."""
        super().pre_update(item)
        session = self.datamodel.session
        with session.no_autoflush:
            stored = session.execute(select(CaseType.agency_id, CaseType.kind).where(CaseType.id == item.id)).one()
            agency_id = item.agency.id if item.agency is not None else item.agency_id
            changed = (agency_id, item.kind) != (stored.agency_id, stored.kind)
            used = changed and session.execute(
                select(Case.id).where(Case.case_type_id == item.id).limit(1)).first() is not None
        if used:
            session.rollback()
            raise RecordInUse(_("Cases use this case type, so its agency and kind stay as they are. Make a new "
                                "type for the other agency or kind, and switch this one off (untick Active)."))
