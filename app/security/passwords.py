"""Staff passwords on screen: the policy of app/domain/passwords.py on every form that sets one
(a new account, an administrator's reset, one's own), and one's own changed only with the
current one, so that a session left open is not enough to take the account over."""
from __future__ import annotations

import hashlib

from flask import current_app, g, has_request_context, request, session
from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget
from flask_appbuilder.forms import DynamicForm
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_appbuilder.security.views import ResetMyPasswordView as FabResetMyPasswordView
from flask_appbuilder.security.views import ResetPasswordView as FabResetPasswordView
from flask_appbuilder.validators import PasswordComplexityValidator
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, ValidationError

from app.domain.errors import RuleError
from app.domain.passwords import MIN_LENGTH, check_password
from app.domain.whole_numbers import whole_number
from app.i18n import lang

POLICY_HINT = _l("At least %(count)d characters: a few words together are easy to remember. Digits alone, common "
                 "passwords and your user name are refused.", count=MIN_LENGTH)


# The session key of the stamp of the password a session signed in with.
PASSWORD_STAMP = "_password_stamp"


def password_stamp(user) -> str:
    """A short digest of the stored password hash: it changes whenever the password does."""
    return hashlib.sha256((user.password or "").encode()).hexdigest()[:16]


def _username_for_this_form() -> str | None:
    """Whose password the form sets: the account being made, the one an administrator resets,
    or one's own."""
    if not has_request_context():
        return None
    if (request.endpoint or "").startswith("ResetMyPasswordView."):
        # One's own: whatever the form carries, the user signed in (an added username field
        # would otherwise dodge the rule against a password holding it).
        return getattr(getattr(g, "user", None), "username", None)
    if request.form.get("username"):
        return request.form["username"]
    pk = whole_number(request.args.get("pk"))
    if pk is not None:
        user = current_app.appbuilder.sm.get_user_by_id(pk)
        return user.username if user else None
    user = getattr(g, "user", None)
    return getattr(user, "username", None)


def staff_password_policy(password: str) -> None:
    """FAB_PASSWORD_COMPLEXITY_VALIDATOR: Flask-AppBuilder calls it on each password field."""
    try:
        check_password(password, _username_for_this_form())
    except RuleError as refused:
        raise PasswordComplexityValidationError(refused.message(lang())) from None


def _is_current_password(form, field) -> None:
    if not check_password_hash(g.user.password or "", field.data or ""):
        raise ValidationError(_l("This is not your current password."))


class StaffPasswordForm(DynamicForm):
    password = PasswordField(_l("Password"), description=POLICY_HINT,
                             validators=[DataRequired(), PasswordComplexityValidator()], widget=BS3PasswordFieldWidget())
    conf_password = PasswordField(_l("Confirm Password"), description=_l("Type the new password again."),
                                  validators=[EqualTo("password", message=_l("Passwords must match"))],
                                  widget=BS3PasswordFieldWidget())


class OwnPasswordForm(StaffPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), _is_current_password],
                                     widget=BS3PasswordFieldWidget())


# The current password first, as people expect it.
OwnPasswordForm.current_password.creation_counter = StaffPasswordForm.password.creation_counter - 1


class ResetMyPasswordView(FabResetMyPasswordView):
    form = OwnPasswordForm
    form_title = _l("Change your password")

    def form_post(self, form) -> None:
        super().form_post(form)
        # This session goes on with the new password; the others end (RueangSecurityManager.load_user).
        session[PASSWORD_STAMP] = password_stamp(self.appbuilder.sm.get_user_by_id(g.user.id))


class ResetPasswordView(FabResetPasswordView):
    form = StaffPasswordForm
