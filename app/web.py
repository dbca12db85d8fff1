"""Wires the screens, the APIs and the request guards onto the app."""
from __future__ import annotations

from flask import Flask, g, jsonify, request, send_from_directory
from flask_babel import lazy_gettext as _l
from sqlalchemy import text

from app.api.open311 import POST_PATHS as OPEN311_POST_PATHS
from app.extensions import csrf, db
from app.i18n import field_error, format_date, format_datetime, install_form_messages

# Requests that change state but carry no session cookie of ours are not CSRF-able: API
# clients authenticated by a bearer token, and the API login itself.
_CSRF_EXEMPT_PREFIXES = ("/api/v1/security/",)
FAVICON_MAX_AGE = 24 * 60 * 60


def _has_valid_bearer_token() -> bool:
    """Whether the request carries an access token that verifies. A header alone is not
    enough: the case API also accepts the session cookie, so a made-up token beside a cookie
    would otherwise switch the CSRF check off for a cookie-authenticated write."""
    from flask_jwt_extended import verify_jwt_in_request
    from flask_jwt_extended.exceptions import JWTExtendedException
    from jwt.exceptions import PyJWTError

    try:
        verify_jwt_in_request(locations=["headers"])
    except (JWTExtendedException, PyJWTError):
        return False
    return True


def _csrf_guard():
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
        return None
    if request.method == "POST" and request.path in OPEN311_POST_PATHS:
        return None  # authenticated by its api_key argument; reads no cookie
    if request.path.startswith(_CSRF_EXEMPT_PREFIXES):
        return None
    auth = request.headers.get("Authorization", "")
    if request.path.startswith("/api/") and auth.lower().startswith("bearer ") and _has_valid_bearer_token():
        return None
    csrf.protect()
    return None


def _first_on_page(key: str) -> bool:
    """True the first time a page asks with this key: for parts two templates both include."""
    shown = g.setdefault("rueang_shown_parts", set())
    if key in shown:
        return False
    shown.add(key)
    return True


def register_web(app: Flask, appbuilder) -> None:
    from app.i18n import lang

    app.jinja_env.globals["ui_lang"] = lang  # the staff screens' language, for their scripts
    from app.api.cases import CaseApi
    from app.views.admin import AgencyView, CaseTypeView
    from app.views.cases import CaseView
    from app.views.index import HomeView

    appbuilder.indexview = HomeView
    appbuilder.add_view(CaseView, "Case list", icon="fa-folder-open", label=_l("Case list"),
                        category="Cases", category_label=_l("Cases"), category_icon="fa-inbox")
    appbuilder.add_view(AgencyView, "Agencies", icon="fa-building", label=_l("Agencies"),
                        category="Administration", category_label=_l("Administration"), category_icon="fa-cogs")
    appbuilder.add_view(CaseTypeView, "Case types", icon="fa-tags", label=_l("Case types"),
                        category="Administration")
    appbuilder.add_api(CaseApi)
    from app.views.excel import register_excel

    register_excel(appbuilder)
    from app.views.dashboards import register_dashboards

    register_dashboards(app, appbuilder)
    from app.views.public_side import register_public_side

    register_public_side(app, appbuilder)
    from app.views.jobs import register_jobs_views

    register_jobs_views(appbuilder)
    from app.views.settings_history import register_settings_history

    register_settings_history(appbuilder)

    app.before_request(_csrf_guard)
    app.jinja_env.filters["thaidate"] = format_date
    app.jinja_env.filters["field_error"] = field_error
    install_form_messages()
    app.jinja_env.globals["first_on_page"] = _first_on_page
    app.jinja_env.filters["thaidatetime"] = format_datetime

    @app.get("/favicon.ico")
    def favicon():
        # Browsers ask for /favicon.ico on every site whatever the page links; pages link the SVG too.
        return send_from_directory(app.static_folder, "favicon.ico", max_age=FAVICON_MAX_AGE)

    @app.get("/health")
    def health():
        try:
            db.session.execute(text("SELECT 1"))
        except Exception as error:  # the database does not answer
            db.session.rollback()
            return jsonify(status="error", database="down", error=type(error).__name__), 503
        return jsonify(status="ok", database="up")
