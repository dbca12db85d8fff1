"""Flask-AppBuilder security with agency-bound staff users."""
from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime

from flask import current_app, g, has_app_context, has_request_context, session
from flask.sessions import SecureCookieSessionInterface
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import (
    Permission,
    PermissionView,
    ViewMenu,
    assoc_permissionview_role,
)
from flask_login import user_logged_in, user_logged_out
from sqlalchemy import select

from app.models.user import StaffUser
from app.security.passwords import PASSWORD_STAMP, ResetMyPasswordView, ResetPasswordView, password_stamp
from app.security.views import NoGroupsView, RoleModelView, StaffAuthDBView, StaffUserView, UserInfoEditView


class RueangSecurityManager(SecurityManager):
    user_model = StaffUser
    userdbmodelview = StaffUserView
    authdbview = StaffAuthDBView
    resetmypasswordview = ResetMyPasswordView
    resetpasswordview = ResetPasswordView
    userinfoeditview = UserInfoEditView
    groupmodelview = NoGroupsView
    rolemodelview = RoleModelView
    # Flask-AppBuilder's "User's Statistics" chart draws with Google Charts, loaded from Google's
    # servers: blank on a server without the internet and under the staff pages' policy, and in
    # English only. The user list shows the same login counts.
    userstatschartview = None

    def create_login_manager(self, app):
        """Each signed-in session carries a stamp of the password it signed in with (see load_user)."""
        login_manager = super().create_login_manager(app)
        user_logged_in.connect(_stamp_session, weak=False)  # any app: one receiver, however many apps
        user_logged_out.connect(_end_session, weak=False)
        return login_manager

    def load_user(self, pk):
        """The session's user, unless its password changed since the session signed in: a new
        password (one's own on another device, or an administrator's reset) ends every other
        session, which a signed cookie would otherwise keep alive. Nor a session signed out of
        (its cookie copied before), or one signed in more than SESSION_MAX_HOURS ago."""
        user = super().load_user(pk)
        if user is None or not has_request_context():
            return user
        stamp = session.get(PASSWORD_STAMP)
        if stamp is not None and stamp != password_stamp(user):
            return None
        if not _session_still_open():
            return None
        return user

    def create_jwt_manager(self, app):
        """A malformed or badly signed access token is a 401 like a missing or expired one (the
        token library's own answer is a 422, which the API keeps for invalid fields)."""
        from app.api.errors import error_response

        jwt_manager = super().create_jwt_manager(app)
        jwt_manager.invalid_token_loader(lambda reason: error_response(401, f"The token is not valid: {reason}"))
        # Tokens carry the password stamp too (see load_user_jwt).
        jwt_manager.additional_claims_loader(self._password_claim)
        return jwt_manager

    def _password_claim(self, identity) -> dict:
        user = self.get_user_by_id(int(identity))
        return {PASSWORD_STAMP: password_stamp(user)} if user is not None else {}

    def load_user_jwt(self, jwt_header, jwt_data):
        """A token made before the password changed is refused, as a session is (load_user): a
        refresh token would otherwise keep its holder in for 30 days. (A token is not a session:
        load_user's checks of the session cookie do not apply.)"""
        user = super().load_user(jwt_data["sub"])
        if user is None or not user.is_active:
            return None
        stamp = jwt_data.get(PASSWORD_STAMP)
        if stamp is not None and stamp != password_stamp(user):
            return None
        g.user = user  # as Flask-AppBuilder's load_user_jwt: the request's user
        return user

    def add_user(self, username, first_name, last_name, email, role=None, password="", hashed_password="",
                 **kwargs):
        _check_fab_command_password(password, username)
        return super().add_user(username, first_name, last_name, email, role, password, hashed_password, **kwargs)

    def reset_password(self, userid, password):
        user = self.get_user_by_id(userid)
        _check_fab_command_password(password, user.username if user else None)
        return super().reset_password(userid, password)

    def _permission_pairs(self, user) -> frozenset[tuple[str, str]]:
        role_ids = [role.id for role in user.roles]
        stmt = (
            select(Permission.name, ViewMenu.name)
            .join(PermissionView, PermissionView.permission_id == Permission.id)
            .join(ViewMenu, PermissionView.view_menu_id == ViewMenu.id)
            .join(assoc_permissionview_role, assoc_permissionview_role.c.permission_view_id == PermissionView.id)
            .where(assoc_permissionview_role.c.role_id.in_(role_ids))
        )
        return frozenset(tuple(row) for row in self.session.execute(stmt))

    def _has_view_access(self, user, permission_name: str, view_name: str) -> bool:
        """One query per request for all the user's permissions, instead of one per check: a page
        checks a dozen (menu entries, buttons, widgets)."""
        if not has_app_context():
            return super()._has_view_access(user, permission_name, view_name)
        cache = g.setdefault("rueang_permissions", {})
        pairs = cache.get(user.id)
        if pairs is None:
            pairs = cache[user.id] = self._permission_pairs(user)
        return (permission_name, view_name) in pairs

    def register_views(self) -> None:
        """The API's login (/api/v1/security/login, and its token refresh) and the form that
        changes one's own password (its current password) check passwords as the login page does:
        they get the login page's limit per address (AUTH_RATE_LIMIT), which Flask-AppBuilder sets
        on the login page alone. Without it a session left open could guess the password at full
        speed, then change it."""
        super().register_views()
        for category in self.appbuilder.menu.get_list():
            category.childs = [item for item in category.childs if item.name != "List Groups"]
        if not self.is_auth_limited:
            return
        for view in self.appbuilder.baseviews:
            if isinstance(view, (self.security_api, self.resetmypasswordview)):
                self.limiter.limit(self.auth_rate_limit, methods=["POST"])(view.blueprint)


# Flask-AppBuilder's own commands that set a password from what an administrator typed.
_FAB_PASSWORD_COMMANDS = frozenset({"create-admin", "create-user", "reset-password"})


def _check_fab_command_password(password: str, username: str | None) -> None:
    """`flask fab create-admin`, `create-user` and `reset-password` take the password rules of the
    screens (app/domain/passwords.py): they set a password without any form, so the first
    administrator of a new server could be "admin". Seeds and tests set theirs directly."""
    import click

    context = click.get_current_context(silent=True)
    if not password or context is None or context.command.name not in _FAB_PASSWORD_COMMANDS:
        return
    if context.parent is None or context.parent.command.name != "fab":
        return
    from app.domain.errors import RuleError
    from app.domain.passwords import check_password

    try:
        check_password(password, username)
    except RuleError as refused:
        raise click.ClickException(f"{refused.message_en}\n{refused.message_th}\n"
                                   "Nothing was saved. / ไม่ได้บันทึกสิ่งใด") from None


# When a signed-in session was last renewed, and when it signed in, in whole seconds; and a
# random name for it, by which a sign-out is remembered (app.models.EndedSession).
SEEN = "_seen"
SIGNED_IN = "_signed_in"
SESSION_ID = "_session_id"
RENEW_EVERY_SECONDS = 60


def _stamp_session(_app, user, **_extra) -> None:
    session[PASSWORD_STAMP] = password_stamp(user)
    # The cookie carries its own end (PERMANENT_SESSION_LIFETIME), renewed by renew_idle_session.
    session.permanent = True
    now = int(time.time())
    session[SEEN] = now
    session[SIGNED_IN] = now
    session[SESSION_ID] = secrets.token_urlsafe(24)


def _max_seconds() -> int:
    return current_app.config["SESSION_MAX_HOURS"] * 3600


def _session_still_open() -> bool:
    """A session from a sign-in (one made before sign-ins were named has to sign in again), not
    older than SESSION_MAX_HOURS, and not signed out of."""
    from app.services.sessions import has_ended

    session_id, signed_in = session.get(SESSION_ID), session.get(SIGNED_IN)
    if not isinstance(session_id, str) or not isinstance(signed_in, int):
        return False
    if time.time() - signed_in > _max_seconds():
        return False
    return not has_ended(session_id)


def _end_session(_app, user, **_extra) -> None:
    """A sign-out: the session's name is kept until its cookie would have stopped working anyway,
    so that a copy of the cookie taken before (a shared computer, a stolen one) is refused."""
    from app.services.sessions import end_session

    session_id, signed_in = session.pop(SESSION_ID, None), session.pop(SIGNED_IN, None)
    session.pop(SEEN, None)
    if not isinstance(session_id, str) or not isinstance(signed_in, int):
        return
    end_session(session_id, until=datetime.fromtimestamp(signed_in + _max_seconds(), UTC),
                now=datetime.fromtimestamp(time.time(), UTC))


class NoCookieOnSharedAnswers(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, but an answer a shared cache may keep (Cache-Control:
    public: the status page, Open311's GETs, the transparency data) never sets the cookie. A
    signed-in member of staff who opens one would otherwise get their renewed session cookie on
    it, for a cache that disregards Vary to hand to the next visitor. The renewal waits for their
    next staff page."""

    def save_session(self, app, session, response) -> None:
        if response.cache_control.public:
            return
        super().save_session(app, session, response)


def renew_idle_session() -> None:
    """before_request: a signed-in session in use is renewed, so PERMANENT_SESSION_LIFETIME counts
    from its last request (an idle timeout) rather than from the sign-in. Renewed at most once a
    minute, not on every answer (SESSION_REFRESH_EACH_REQUEST is off): a dashboard's refresh still
    under way when its user signs out would otherwise send the signed-in cookie back after it."""
    if "_user_id" not in session:
        return
    now = int(time.time())
    if now - session.get(SEEN, 0) >= RENEW_EVERY_SECONDS:
        session.permanent = True
        session[SEEN] = now
