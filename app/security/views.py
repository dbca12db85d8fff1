from __future__ import annotations

from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget, BS3TextFieldWidget
from flask import flash, redirect, request
from flask_appbuilder.baseviews import expose
from flask_appbuilder.security.forms import UserInfoEdit
from flask_appbuilder.security.views import AuthDBView, UserDBModelView, UserGroupModelView
from flask_appbuilder.security.views import RoleModelView as FabRoleModelView
from flask_appbuilder.security.views import UserInfoEditView as FabUserInfoEditView
from flask_appbuilder.validators import PasswordComplexityValidator
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from app.domain.case_rules import EMAIL_PATTERN
from app.domain.roles import ROLE_LABELS
from app.domain.statuses import label
from app.i18n import format_datetime, lang, yes_no
from app.security.passwords import POLICY_HINT
from app.views.crud import AdminCrudMixin
from app.views.forms import agency_label, name_related_choices


def _role_name(role) -> str:
    return label(ROLE_LABELS, role.name, lang())


def _role_names(roles) -> str:
    """Each role by its name in the reader's language; a role the app does not know, by its own."""
    return ", ".join(_role_name(role) for role in roles or ())


# ab_user's columns: longer text failed on PostgreSQL (a 500) and was kept whole on SQLite,
# where a long name then pushed the menu bar onto three lines.
NAME_CHARS, USERNAME_CHARS, EMAIL_CHARS = 64, 128, 320


def _at_most(chars: int) -> Length:
    return Length(max=chars, message=_l("At most %(max)d characters."))


def _one_role_required(form, field) -> None:
    """Flask-AppBuilder's own check reads a groups field these forms do not have (a 500)."""
    if not field.data:
        raise ValidationError(_l("Choose at least one role."))


def _email_address(form, field) -> None:
    if field.data and not EMAIL_PATTERN.match(field.data.strip()):
        raise ValidationError(_l("This is not an email address, such as name@diw.go.th."))


def _count(value) -> int:
    """A login count a new account has not started (None) is 0."""
    return value or 0


def _moment(value) -> str:
    return format_datetime(value) if value else "—"


class StaffUserView(AdminCrudMixin, UserDBModelView):
    """Administrators place every staff user in one agency (none: ministry-wide)."""

    list_columns = ["first_name", "last_name", "username", "agency", "active", "roles"]
    search_columns = ["first_name", "last_name", "username", "email", "agency", "active", "roles"]
    add_columns = [
        "first_name", "last_name", "username", "agency", "active", "email", "roles",
        "password", "conf_password",
    ]
    edit_columns = ["first_name", "last_name", "username", "agency", "active", "email", "roles"]
    show_fieldsets = [
        (_l("User info"), {"fields": ["username", "agency", "active", "roles", "login_count"]}),
        (_l("Personal Info"), {"fields": ["first_name", "last_name", "email"], "expanded": True}),
        (_l("Audit Info"), {"fields": ["last_login", "fail_login_count", "created_on", "changed_on"],
                            "expanded": False}),
    ]
    user_show_fieldsets = [
        (_l("User info"), {"fields": ["username", "agency", "active", "roles", "login_count"]}),
        (_l("Personal Info"), {"fields": ["first_name", "last_name", "email"], "expanded": True}),
    ]
    label_columns = {**UserDBModelView.label_columns, "agency": _l("Agency")}
    formatters_columns = {
        "agency": lambda agency: agency.label(lang()) if agency else _("Ministry-wide"),
        "active": yes_no,
        "roles": _role_names,
        "login_count": _count,
        "fail_login_count": _count,
        "last_login": _moment,
        "created_on": _moment,
        "changed_on": _moment,
    }
    validators_columns = {
        "roles": [_one_role_required],
        "first_name": [_at_most(NAME_CHARS)],
        "last_name": [_at_most(NAME_CHARS)],
        "username": [_at_most(USERNAME_CHARS)],
        "email": [_at_most(EMAIL_CHARS), _email_address],
    }
    add_form_extra_fields = {
        **UserDBModelView.add_form_extra_fields,
        "password": PasswordField(_l("Password"), description=POLICY_HINT,
                                  validators=[DataRequired(), PasswordComplexityValidator()],
                                  widget=BS3PasswordFieldWidget()),
    }
    description_columns = {
        **UserDBModelView.description_columns,
        "agency": _l("Agency staff see and change only their agency's cases; leave empty for ministry-wide accounts."),
    }

    def post_update(self, item):
        super().post_update(item)
        from app.services.cases import release_assignments
        from app.services.scope import current_actor

        released = release_assignments(current_actor(), item.id)
        if released:
            flash(ngettext("%(num)d open case assigned to this account, which may no longer work it, is now "
                           "unassigned: its agency's manager assigns it again.",
                           "%(num)d open cases assigned to this account, which may no longer work them, are now "
                           "unassigned: their agency's manager assigns them again.", released), "warning")

    def _init_forms(self):
        super()._init_forms()
        forms = (self.add_form, self.edit_form)
        name_related_choices(forms, "agency", get_label=agency_label, blank_text=_l("Ministry-wide"))
        name_related_choices(forms, "roles", get_label=_role_name)


class StaffAuthDBView(AuthDBView):
    """Signing out is a POST with the form's CSRF token, so another site cannot sign a user out with
    a link or an image. The old address still answers a GET: it asks, with a button that posts."""

    @expose("/logout/", methods=["GET", "POST"])
    def logout(self):
        if request.method == "POST":
            return super().logout()
        if self._get_authenticated_user() is None:
            return redirect(self.appbuilder.get_url_for_login)
        return self.render_template("rueang/logout.html", title=_("Sign out"))


class StaffUserInfoForm(UserInfoEdit):
    first_name = StringField(_l("First Name"), validators=[DataRequired(), _at_most(NAME_CHARS)],
                             widget=BS3TextFieldWidget())
    last_name = StringField(_l("Last Name"), validators=[DataRequired(), _at_most(NAME_CHARS)],
                            widget=BS3TextFieldWidget())


class UserInfoEditView(FabUserInfoEditView):
    """Each user's own name, within the lengths its columns hold. Named as Flask-AppBuilder's
    view, whose address and permissions it keeps."""

    form = StaffUserInfoForm


class NoGroupsView(UserGroupModelView):
    """Flask-AppBuilder 5's user groups, with none of its screens: permissions here come from a
    user's roles alone (app/security, the scoping of every read), so a group's roles would grant
    nothing, and its screens were in English on Thai pages. RueangSecurityManager takes its menu
    entry away."""

    include_route_methods: set[str] = set()


class RoleModelView(FabRoleModelView):
    """Roles named in the reader's language, as the user screens name them. Named as
    Flask-AppBuilder's view, whose address and permissions it keeps."""

    formatters_columns = {"name": lambda name: label(ROLE_LABELS, name, lang()),
                          "permissions": lambda permissions: ", ".join(map(str, permissions or ())) or "—"}
    label_columns = {"name": _l("Name"), "permissions": _l("Permissions")}
