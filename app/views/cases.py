"""The case screens: list, case page with timeline and actions, add and edit forms."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import ModelView, expose
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l, gettext as _
from markupsafe import Markup

from app.domain import case_links as link_rules
from app.domain import sla as sla_rules
from app.domain.geo import province_label
from app.domain import workflow
from app.domain.errors import RuleError
from app.domain.statuses import (
    ACTOR_LABELS, CHANNEL_LABELS, EVENT_KIND_LABELS, EVENT_SOURCE_LABELS, KIND_LABELS, PRIORITY_LABELS, SLA_FLAG_LABELS, STATUS_LABELS, OPEN_STATUSES,
    CLOSED_STATUSES, label,
)
from app.i18n import blank_if_none, format_date, format_datetime, lang
from app.models import Agency, Case
from app.models.types import utcnow
from app.services import case_links
from app.services import cases as case_service
from app.services import sla as sla_service
from app.services.errors import Conflict
from app.services.scope import current_actor, scope_filters
from app.views.datamodel import BoundedPagesMixin, CappedCountInterface
from app.views.date_fields import DateEntryMixin
from app.views.widgets import CachedSearchWidget
from app.views.forms import (
    agency_label, case_form_extra_fields, case_search_extra_fields, label_case_types_by_language,
    name_related_choices, offer_current_choice,
)
from app.views.messages import errors_by_field, flash_error

# Every view and API of the "Case" resource declares the whole set: Flask-AppBuilder removes a
# resource's permissions that the view being synced does not list.
CASE_PERMISSIONS = ["can_read", "can_write", "can_assign", "can_import", "can_export"]

EDIT_FIELDS = [
    "case_type", "channel", "priority", "title", "description", "requester_name", "requester_phone",
    "requester_email", "requester_id", "province", "district", "subdistrict", "latitude", "longitude",
    "external_ref",
]


def _labelled(labels):
    return lambda value: label(labels, value, lang()) if value else ""


OPTIONAL_COLUMNS = ("external_ref", "province", "requester_name", "requester_phone", "requester_email",
                    "requester_id", "district", "subdistrict", "latitude", "longitude", "satisfaction", "description")


def _now_status(case) -> str:
    return _("The case's status is now: %(status)s.", status=label(STATUS_LABELS, case.status, lang()))


def _person(user) -> str:
    return " ".join(part for part in (user.first_name, user.last_name) if part) or user.username


class CaseView(BoundedPagesMixin, DateEntryMixin, ModelView):
    route_base = "/cases"
    datamodel = CappedCountInterface(Case)
    class_permission_name = "Case"
    method_permission_name = {
        "list": "read", "show": "read", "add": "write", "edit": "write",
        "status": "write", "forward": "write", "reopen": "write", "note": "write", "assign": "assign",
        "link": "write", "unlink": "write", "back_to_case": "read",
    }
    base_permissions = CASE_PERMISSIONS
    # Cases are never deleted: the timeline is the audit trail; cancel a case instead.
    exclude_route_methods = {"delete", "action", "action_post"}
    base_filters = scope_filters()
    # The list's "at risk" and "breached" links are for open cases: a closed case keeps the flag
    # it closed with (for the reports), and is no longer anyone's to hurry.
    extra_args = {"closed_statuses": sorted(status.value for status in CLOSED_STATUSES)}
    base_order = ("submitted_at", "desc")
    page_size = 25
    search_widget = CachedSearchWidget
    deadline_columns = ("due_at",)  # shown as the due date, the day before (sla.last_day)
    show_template = "cases/show.html"
    list_template = "cases/list.html"

    list_title = _l("Cases")
    show_title = _l("Case")
    add_title = _l("New case")
    edit_title = _l("Edit case")

    list_columns = ["tracking_code", "title", "case_type", "status", "sla_flag", "submitted_at", "due_at",
                    "province", "assignee"]
    order_columns = ["tracking_code", "status", "sla_flag", "submitted_at", "due_at", "province"]
    search_columns = ["tracking_code", "title", "status", "kind", "case_type", "sla_flag", "submitted_at",
                      "due_at", "province", "assignee", "channel", "priority", "external_ref", "requester_name",
                      # what the dashboards' drill-down links filter on
                      "agency", "closed_at", "satisfaction"]
    show_fieldsets = [
        (_l("Case"), {"fields": ["tracking_code", "agency", "case_type", "kind", "status", "priority", "channel",
                                 "title", "description", "external_ref"]}),
        (_l("Dates and SLA"), {"fields": ["submitted_at", "first_response_at", "due_at", "sla_flag", "closed_at",
                                          "reopen_count", "satisfaction"]}),
        (_l("Requester"), {"fields": ["requester_name", "requester_phone", "requester_email", "requester_id"]}),
        (_l("Location"), {"fields": ["province", "district", "subdistrict", "latitude", "longitude"]}),
        (_l("Assignment"), {"fields": ["assignee", "updated_at"]}),
    ]
    add_columns = EDIT_FIELDS
    edit_columns = EDIT_FIELDS + ["version"]
    add_form_extra_fields = case_form_extra_fields()
    edit_form_extra_fields = case_form_extra_fields()
    search_form_extra_fields = case_search_extra_fields()
    add_form_query_rel_fields = {"case_type": scope_filters() + [["active", FilterEqual, True]]}
    edit_form_query_rel_fields = add_form_query_rel_fields
    search_form_query_rel_fields = {"case_type": scope_filters(), "assignee": scope_filters(),
                                    "agency": scope_filters("id")}

    label_columns = {
        "tracking_code": _l("Tracking code"), "agency": _l("Agency"), "case_type": _l("Case type"),
        "kind": _l("Kind"), "status": _l("Status"), "priority": _l("Priority"), "channel": _l("Channel"),
        "title": _l("Title"), "description": _l("Description"), "external_ref": _l("Departmental reference"),
        "submitted_at": _l("Submitted"), "first_response_at": _l("First response"), "due_at": _l("Due"),
        "sla_flag": _l("SLA"), "closed_at": _l("Closed"), "reopen_count": _l("Reopened"),
        "satisfaction": _l("Satisfaction"), "requester_name": _l("Requester"), "requester_phone": _l("Phone"),
        "requester_email": _l("Email"), "requester_id": _l("Citizen or juristic ID"), "province": _l("Province"),
        "district": _l("District"), "subdistrict": _l("Subdistrict"), "latitude": _l("Latitude"),
        "longitude": _l("Longitude"), "assignee": _l("Assignee"), "updated_at": _l("Last changed"),
    }
    description_columns = {
        "external_ref": _l("The case's number in the agency's own system, used to follow its status."),
        "latitude": _l("Decimal degrees, e.g. 13.7563"),
        "longitude": _l("Decimal degrees, e.g. 100.5018"),
    }
    formatters_columns = {
        "status": _labelled(STATUS_LABELS),
        "kind": _labelled(KIND_LABELS),
        "sla_flag": _labelled(SLA_FLAG_LABELS),
        "channel": _labelled(CHANNEL_LABELS),
        "priority": _labelled(PRIORITY_LABELS),
        "submitted_at": lambda v: format_datetime(v),
        "first_response_at": lambda v: format_datetime(v),
        "closed_at": lambda v: format_datetime(v),
        "updated_at": lambda v: format_datetime(v),
        "due_at": lambda v: format_date(sla_rules.last_day(v)),
        "agency": lambda a: a.label(lang()) if a else "",
        "case_type": lambda t: (t.name_th if lang() == "th" else t.name_en) if t else "",
        "assignee": lambda u: f"{u.first_name} {u.last_name}" if u else "",
        **{column: blank_if_none for column in OPTIONAL_COLUMNS},
        "province": lambda v: province_label(v, lang()),  # blank when none, too
        "tracking_code": lambda v: Markup('<span class="tracking-code">{}</span>').format(v),
    }

    def _init_forms(self):
        super()._init_forms()
        label_case_types_by_language(self.add_form, self.edit_form, self.search_form)
        # A filter's empty choice showed Flask-AppBuilder's "__None".
        name_related_choices([self.search_form], "assignee", blank_text="—")
        name_related_choices([self.search_form], "case_type", blank_text="—")
        name_related_choices([self.search_form], "agency", get_label=agency_label, blank_text="—")

    # ---- add and edit go through the case service ----------------------------------------

    @staticmethod
    def _fields_from_form(form) -> dict:
        data = {}
        for name in EDIT_FIELDS:
            if name not in form:
                continue
            value = form[name].data
            if name == "case_type":
                data["case_type_id"] = value.id if value is not None else None
            else:
                data[name] = value
        return data

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        form = self.add_form.refresh()
        if request.method == "GET":
            self.update_redirect()  # the screens' history, as Flask-AppBuilder's own add keeps it
        if request.method == "POST" and form.validate():
            try:
                case = case_service.create_case(current_actor(), self._fields_from_form(form))
            except RuleError as error:
                flash_error(error, form)
            else:
                flash(_("Case %(code)s was created.", code=case.tracking_code), "success")
                return redirect(url_for(".show", pk=case.id))
        widgets = self._get_add_widget(form=form)
        return self.render_template(self.add_template, title=self.add_title, widgets=widgets)

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        actor = current_actor()
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        if request.method == "POST":
            form = self.edit_form.refresh(request.form)
            offer_current_choice(form.case_type, item.case_type)
            if form.validate():
                try:
                    case_service.update_case(actor, item.id, self._fields_from_form(form),
                                             expected_version=form.version.data)
                except RuleError as error:
                    flash_error(error, form)
                else:
                    flash(_("Your changes were saved."), "success")
                    return redirect(url_for(".show", pk=item.id))
        else:
            form = self.edit_form.refresh(obj=item)
            offer_current_choice(form.case_type, item.case_type)
            form.version.data = item.version
            self.update_redirect()
        widgets = self._get_edit_widget(form=form)
        # Named by the case, as its page is: two cases open for editing are told apart.
        return self.render_template(self.edit_template, title=f"{self.edit_title} {item.tracking_code}", widgets=widgets)

    # ---- the case page ----------------------------------------------------------------------

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        actor = current_actor()
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        # Into the screens' history, as Flask-AppBuilder's own show does: the language menu and
        # the next page's back button come back here.
        self.update_redirect()
        return self._case_page(actor, item)

    def _case_page(self, actor, item, draft=None):
        """The case page; `draft` is what was typed into one of its forms (its name and the
        posted fields), shown again in that form when the move was refused."""
        widgets = self._get_show_widget(item.id, item)
        events = case_service.timeline(actor, item.id)
        can_write = case_service.may_write_case(actor, item)
        can_assign = can_write and case_service.may(actor, case_service.ASSIGN)
        from app.extensions import db
        from sqlalchemy import select

        agencies = db.session.execute(select(Agency).where(Agency.active.is_(True), Agency.id != item.agency_id)
                                      .order_by(Agency.id)).scalars().all() if can_write else []
        officers = case_service.assignable_staff(db.session, item.agency_id) if can_assign else []
        first_response = sla_service.first_response(db.session, item, utcnow())
        links = case_links.links_of(db.session, actor, item, may_write=can_write)
        return self.render_template(
            # The screen's heading and the browser's title name the case, not only "Case".
            self.show_template, pk=item.id, title=f"{self.show_title} {item.tracking_code}", widgets=widgets, case=item,
            events=events,
            first_response=first_response, first_response_labels=sla_rules.FIRST_RESPONSE_LABELS,
            can_write=can_write, can_assign=can_assign, agencies=agencies, officers=officers,
            targets=workflow.allowed_targets(item.status) if item.status in OPEN_STATUSES else [],
            is_closed=item.status in CLOSED_STATUSES, lang=lang(), status_labels=STATUS_LABELS,
            sla_labels=SLA_FLAG_LABELS, event_kind_labels=EVENT_KIND_LABELS, event_source_labels=EVENT_SOURCE_LABELS,
            actor_labels=ACTOR_LABELS,
            label=label, format_datetime=format_datetime, format_date=format_date,
            changes_of=self._changes_reader(db.session, events),
            links=links, link_label=link_rules.link_label, link_kinds=link_rules.KIND_CHOICES,
            draft=draft or {"form": None, "fields": {}, "errors": {}},
        )

    def _changes_reader(self, session, events):
        """What the case page calls for each edit event: its changes by label and shown value."""
        from sqlalchemy import select

        from app.domain.case_changes import change_lines
        from app.models import CaseType

        language = lang()
        # Edits name a case type by its id (the screens' and the import's); nothing else by id.
        type_ids = {value for event in events for value in (event.changes or {}).get("case_type_id", ())}
        names = {"case_type_id": {type_id: name_th if language == "th" else name_en
                                  for type_id, name_th, name_en in session.execute(
                                      select(CaseType.id, CaseType.name_th, CaseType.name_en)
                                      .where(CaseType.id.in_(type_ids)))}} if type_ids else {}

        def field_label(field: str) -> str:
            return str(self.label_columns.get(field) or self.label_columns.get(field.removesuffix("_id")) or field)

        return lambda event: change_lines(event.changes, language, field_label, names=names,
                                          moment=lambda at: format_datetime(at, language))

    def _act(self, pk, form_name, action, landing=None, done=None):
        """Run one action of the case page. A refusal answers with the case's page as it is now,
        its message, and what was typed still in that form (a redirect would empty it). On
        success, `landing(actor, result)` answers, or the case's page says what was done
        (`done(result)`, else "Done.")."""
        actor = current_actor()
        try:
            result = action(actor, pk)
        except RuleError as error:
            if error.http_status == 404:
                abort(404)
            item = self.datamodel.get(pk, self._base_filters)
            if item is None:
                abort(404)
            if isinstance(error, Conflict):
                # Not "reload the case": this answer is the case as it is now.
                flash(_("Someone else saved this case after you opened it, so nothing was saved. The page now "
                        "shows the case as it is, with what you typed still in the form: check it and send it "
                        "again."), "danger")
            typed = {name: value for name, value in request.form.items() if name not in ("csrf_token", "version")}
            # A message about one of the form's fields is shown there, tied to the field.
            errors = {} if isinstance(error, Conflict) else errors_by_field(error, typed)
            return self._case_page(actor, item, draft={"form": form_name, "fields": typed, "errors": errors}), \
                error.http_status
        if landing is not None:
            return landing(actor, result)
        flash(done(result) if done is not None else _("Done."), "success")
        return redirect(url_for(".show", pk=pk))

    @expose("/<int:pk>/<any(status, forward, reopen, note, assign, link):move>", methods=["GET"])
    @has_access
    def back_to_case(self, pk, move):
        """A move's address opened again (a refused move answers from it: reloaded, bookmarked or
        copied): the case's page, not a "method not allowed"."""
        return redirect(url_for(".show", pk=pk))

    @expose("/<int:pk>/status", methods=["POST"])
    @has_access
    def status(self, pk):
        form = request.form
        return self._act(pk, "status", lambda actor, key: case_service.change_status(
            actor, key, form.get("status", ""), note=form.get("note"), public=form.get("public") == "y",
            expected_version=form.get("version")), done=_now_status)

    @expose("/<int:pk>/forward", methods=["POST"])
    @has_access
    def forward(self, pk):
        form = request.form

        def landing(actor, case):
            flash(_("Case %(code)s was forwarded to %(agency)s.", code=case.tracking_code,
                    agency=case.agency.label(lang())), "success")
            if actor.agency_id is not None and actor.agency_id != case.agency_id:
                # The case is now the other agency's: its page is no longer ours to show.
                return redirect(url_for(".list"))
            return redirect(url_for(".show", pk=pk))

        return self._act(pk, "forward", lambda actor, key: case_service.forward_case(
            actor, key, form.get("agency", ""), note=form.get("note"), public=form.get("public") == "y",
            expected_version=form.get("version")),
            landing)

    @expose("/<int:pk>/reopen", methods=["POST"])
    @has_access
    def reopen(self, pk):
        form = request.form
        return self._act(pk, "reopen", lambda actor, key: case_service.reopen_case(
            actor, key, note=form.get("note"), public=form.get("public") == "y", expected_version=form.get("version")),
            done=_now_status)

    @expose("/<int:pk>/note", methods=["POST"])
    @has_access
    def note(self, pk):
        form = request.form
        return self._act(pk, "note", lambda actor, key: case_service.add_note(
            actor, key, form.get("note"), public=form.get("public") == "y"),
            done=lambda event: _("The note is added; it shows on the public status page.") if event.public
            else _("The note is added, for staff only."))

    @expose("/<int:pk>/assign", methods=["POST"])
    @has_access
    def assign(self, pk):
        form = request.form
        return self._act(pk, "assign", lambda actor, key: case_service.assign_case(
            actor, key, form.get("assignee") or None, expected_version=form.get("version")),
            done=lambda case: _("The case is assigned to %(name)s.", name=_person(case.assignee))
            if case.assignee is not None else _("No one is assigned to the case now."))

    @expose("/<int:pk>/link", methods=["POST"])
    @has_access
    def link(self, pk):
        form = request.form

        def landing(actor, link):
            flash(_("The case is linked."), "success")
            return redirect(url_for(".show", pk=pk, _anchor="links"))

        return self._act(pk, "link", lambda actor, key: case_links.link_cases(
            actor, key, form.get("code"), form.get("kind"), note=form.get("note")), landing)

    @expose("/<int:pk>/unlink/<int:link_id>", methods=["POST"])
    @has_access
    def unlink(self, pk, link_id):
        def landing(actor, _result):
            flash(_("The link was removed."), "success")
            return redirect(url_for(".show", pk=pk, _anchor="links"))

        return self._act(pk, "unlink", lambda actor, key: case_links.unlink(actor, key, link_id), landing)
