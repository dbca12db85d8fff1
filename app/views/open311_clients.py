"""Administrators' screen for Open311 clients: register a system, see its key once, replace it."""
from __future__ import annotations

from flask import abort, make_response, request
from flask_appbuilder import ModelView, expose
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l

from app.domain.errors import RuleError
from app.i18n import format_datetime, lang, yes_no
from app.models import Open311Client
from app.services import open311_clients
from app.views.crud import AdminCrudMixin
from app.views.forms import agency_label, name_related_choices, rule_validator
from app.views.messages import flash_error


class Open311ClientView(AdminCrudMixin, ModelView):
    route_base = "/open311-clients"
    datamodel = SQLAInterface(Open311Client)
    class_permission_name = "Open311Client"
    method_permission_name = {"list": "read", "show": "read", "add": "write", "edit": "write", "new_key": "write"}
    base_permissions = ["can_read", "can_write"]
    # Clients are switched off, never deleted; keys are made by the service, never typed in.
    exclude_route_methods = {"delete", "action", "action_post", "api", "api_read", "api_get", "api_create",
                             "api_update", "api_delete", "api_column_add", "api_column_edit", "api_readvalues"}
    show_template = "open311/client_show.html"
    list_title = _l("Open311 clients")
    show_title = _l("Open311 client")
    add_title = _l("New Open311 client")
    edit_title = _l("Edit Open311 client")
    list_columns = ["name", "agency", "key_prefix", "active", "created_at", "last_used_at"]
    show_columns = list_columns
    search_columns = ["name", "agency", "active"]  # never the key's hash
    add_columns = edit_columns = ["name", "agency", "active"]
    label_columns = {"name": _l("Name"), "agency": _l("Agency"), "key_prefix": _l("Key begins with"),
                     "active": _l("Active"), "created_at": _l("Created"), "last_used_at": _l("Last used")}
    description_columns = {
        "agency": _l("When set, the client may post only to this agency's services."),
        "active": _l("A client that is not active cannot post."),
    }
    # The add form goes through the service; the edit form is Flask-AppBuilder's, so the name's rule
    # runs as its first validator (then the uniqueness check, on the trimmed name).
    validators_columns = {"name": [rule_validator(open311_clients.client_name)]}
    formatters_columns = {
        "created_at": lambda v: format_datetime(v),
        "last_used_at": lambda v: format_datetime(v),
        "agency": lambda a: a.label(lang()) if a else "",
        "key_prefix": lambda v: f"{v}…" if v else "",
        "active": yes_no,
    }

    def _init_forms(self):
        super()._init_forms()
        name_related_choices((self.add_form, self.edit_form), "agency", get_label=agency_label,
                             blank_text=_l("All agencies"))

    def _key_page(self, client, key):
        page = self.render_template("open311/new_key.html", client=client, key=key, title=self.show_title)
        response = make_response(page)
        response.headers["Cache-Control"] = "no-store"
        return response

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        form = self.add_form.refresh()
        if request.method == "POST" and form.validate():
            agency = form.agency.data
            try:
                client, key = open311_clients.create_client(form.name.data, agency.id if agency else None,
                                                            bool(form.active.data))
            except RuleError as error:
                flash_error(error, form)
            else:
                return self._key_page(client, key)
        widgets = self._get_add_widget(form=form)
        return self.render_template(self.add_template, title=self.add_title, widgets=widgets)

    @expose("/new-key/<int:pk>", methods=["POST"])
    @has_access
    def new_key(self, pk):
        try:
            client, key = open311_clients.replace_key(pk)
        except RuleError:
            abort(404)
        return self._key_page(client, key)
