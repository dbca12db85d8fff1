"""Wires the screens, the APIs and the request guards onto the app."""
from __future__ import annotations

import json
import re
import secrets
from urllib.parse import urlencode

from flask import Flask, g, jsonify, redirect, request, send_from_directory
from flask_login import current_user
from flask_babel import lazy_gettext as _l
from sqlalchemy import text

from app.api.errors import body_past_limit
from app.api.open311 import PREFIX as OPEN311_PREFIX
from app.domain.whole_numbers import MAX_PAGE_NUMBER, SIGNED_DIGITS, database_integer
from app.extensions import csrf, db
from app.i18n import field_error, format_date, format_datetime, install_form_messages, thai_text_attr

# Requests that change state but carry no session cookie of ours are not CSRF-able: API
# clients authenticated by a bearer token, and the API login itself.
_CSRF_EXEMPT_PREFIXES = ("/api/v1/security/",)
FAVICON_MAX_AGE = 24 * 60 * 60
# Every response unless its view says otherwise (the public pages have a stricter policy of their
# own, app/views/public.py; static files and the status page say how long they may be cached):
# no other site may frame a page (clickjacking on the case actions), no content type is guessed,
# and nothing is stored in a browser's or a proxy's cache, since staff pages and the API carry
# requesters' names, phones and ID numbers.
DEFAULT_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
# The staff pages' Content-Security-Policy: scripts, styles, images and requests from this site
# only, so markup that got into a page could neither load a script from elsewhere nor send what
# the page shows to another host (an image's address, a fetch, a form's action). An inline script
# runs only with this answer's nonce, which Flask-AppBuilder's templates and ours write on each
# of theirs (csp_nonce() in templates), so a script injected into a page does not run either.
# Inline styles stay allowed: the generated screens use style attributes throughout.
STAFF_CSP = ("default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
             "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def csp_nonce() -> str:
    """This request's script nonce, made on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


# Sent over HTTPS only (behind the TLS proxy, request.is_secure comes from X-Forwarded-Proto): a
# browser that has been here once goes straight to https:// afterwards, so a typed address or an
# old http:// link on a café's network cannot be answered by someone in between with a look-alike
# sign-in page.
HSTS = "max-age=31536000"


def _default_headers(response):
    if "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = STAFF_CSP.format(nonce=csp_nonce())
    for name, value in DEFAULT_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


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
    if request.routing_exception is not None:
        return None  # no such address, or not for this method: its 404 or 405 runs nothing
    if request.path.startswith(OPEN311_PREFIX + "/"):
        return None  # Open311 reads no cookie; its POST is authenticated by its api_key argument
    if request.path.startswith(_CSRF_EXEMPT_PREFIXES):
        return None
    auth = request.headers.get("Authorization", "")
    if request.path.startswith("/api/") and auth.lower().startswith("bearer ") and _has_valid_bearer_token():
        return None
    if request.path.startswith("/api/") and not current_user.is_authenticated:
        # No login rides on this request's cookies, so a forged one could do nothing: the API
        # answers 401 itself (a client whose token expired must see the 401 it refreshes on).
        return None
    csrf.protect()
    return None




def _unreadable_page_args() -> list[str]:
    """Flask-AppBuilder reads every argument whose name holds page_ or psize_ as a whole number
    (int() in its urltools), and a word there was a 500, as was a page number past any integer."""
    unreadable = []
    for name, value in request.args.items(multi=True):
        if "page_" in name or "psize_" in name:
            try:
                number = int(value) if len(value) <= 20 else None
            except ValueError:
                number = None
            if number is None or abs(number) > MAX_PAGE_NUMBER:
                unreadable.append(name)
    return unreadable


def _view_named(name: str):
    """The registered view whose class is `name` (the name Flask-AppBuilder puts in endpoints
    and list arguments), or None."""
    from flask import current_app

    return next((view for view in current_app.appbuilder.baseviews if type(view).__name__ == name), None)


def _unsortable_order_args() -> list[str]:
    """Flask-AppBuilder's list screens sort by whatever column the address names (_oc_<View>),
    related ones too ("assignee.password"), where its REST API keeps to the view's order_columns:
    a reader could sort agencies by their connector settings, whose token the screens mask, or
    cases by a column no screen shows, and learn from the order what the column holds. An
    order the view does not offer is left out, as the REST API and the Excel export leave it."""
    unsortable = []
    for name, value in request.args.items(multi=True):
        found = re.findall("_oc_(.*)", name)  # as Flask-AppBuilder's urltools reads the name
        if not found:
            continue
        view = _view_named(found[0])
        if view is None or value not in (getattr(view, "order_columns", None) or ()):
            unsortable.append(name)
    return unsortable


def _unusable_filter_args() -> list[str]:
    """Flask-AppBuilder takes a list filter by its number among the column's operators
    (_flt_<n>_<column>) and looks it up without checking it: a number the column does not have
    (an old bookmark, a hand-edited address) was an IndexError, a 500."""
    view = _view_named((request.endpoint or "").rpartition(".")[0])
    filters = getattr(view, "_filters", None)
    if not hasattr(filters, "get_search_filters"):  # not a Flask-AppBuilder list (a dashboard)
        return []
    operators = filters.get_search_filters()
    unusable = []
    for name in request.args:
        found = re.findall(r"_flt_(\d)_(.*)", name)  # as Flask-AppBuilder's urltools reads the name
        if found and found[0][1] in operators and int(found[0][0]) >= len(operators[found[0][1]]):
            unusable.append(name)
    return unusable


def _drop_unreadable_page_args():
    """A screen's address with a page number or size that is not one (a mistyped or cut link)
    goes to the same address without it: the first page, the usual size. An order by a column
    the screen does not offer, or a filter by an operator its column does not have, is dropped
    the same way."""
    if request.method not in ("GET", "HEAD") or request.path.startswith(("/api/", OPEN311_PREFIX + "/")):
        return None
    unreadable = _unreadable_page_args() + _unsortable_order_args() + _unusable_filter_args()
    if not unreadable:
        return None
    return redirect(with_args(request.path, [(name, value) for name, value in request.args.items(multi=True)
                                             if name not in unreadable]))


NUL_REFUSED = ("The request holds a NUL character (U+0000), which cannot be stored; remove it and send it again.",
               "คำขอมีอักขระ NUL (U+0000) ซึ่งบันทึกไม่ได้ ให้ลบออกแล้วส่งใหม่")
HALF_PAIR_REFUSED = ("The request's JSON holds half of a surrogate pair (an escape from \\ud800 to \\udfff without "
                     "its other half), which is not a character; send the character whole.",
                     "JSON ของคำขอมีรหัส surrogate เพียงครึ่งคู่ (\\ud800 ถึง \\udfff ที่ไม่มีอีกครึ่ง) ซึ่งไม่ใช่อักขระ "
                     "ให้ส่งอักขระนั้นให้ครบ")


def _refuse_text(words: tuple[str, str]):
    """A 400 that says what in the request's text cannot be taken: in Open311's error format on
    its paths, else in the caller's shape (the API's JSON, the staff's error page)."""
    from flask import abort

    from app.views.errors import error_page

    english, thai = words
    if request.path.startswith(OPEN311_PREFIX):
        abort(400, description=f"{english} / {thai}")
    return error_page(400, "unstorable_text", thai, english)


def _refuse_nul_characters():
    """A NUL character anywhere a request carries text (its address, arguments, form fields,
    file names, a JSON body) is a 400. PostgreSQL's text cannot hold one, so a search, a filter or
    an Open311 service code with one failed there as a server error; SQLite took it."""
    if "\x00" in request.path or any("\x00" in key or "\x00" in value
                                     for key, value in request.args.items(multi=True)):
        return _refuse_text(NUL_REFUSED)
    if request.method in ("GET", "HEAD", "OPTIONS") or body_past_limit():
        return None  # a body past the limit is refused on its own, before anything reads it
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if any("\x00" in key or "\x00" in value for key, value in request.form.items(multi=True)) \
                or any("\x00" in (upload.filename or "") for upload in request.files.values()):
            return _refuse_text(NUL_REFUSED)
    elif request.is_json and b"\\u0000" in request.get_data(cache=True):
        return _refuse_text(NUL_REFUSED)
    return None


# A cheap first look at the raw body: a JSON escape of a surrogate, half of a pair or not.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _holds_half_pair(value) -> bool:
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_holds_half_pair(key) or _holds_half_pair(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_half_pair(item) for item in value)
    return False


def _refuse_half_surrogate_pairs():
    """A JSON body whose text holds a lone surrogate (JSON can escape one; UTF-8 cannot carry it)
    is a 400: it could be neither stored nor written back in an answer, and failed as a 500 there."""
    if not request.is_json or body_past_limit():
        return None
    if _SURROGATE_ESCAPE.search(request.get_data(cache=True)) is None:
        return None
    try:
        body = json.loads(request.get_data(cache=True))
    except ValueError:
        return None  # not JSON: each reader says so in its own way
    return _refuse_text(HALF_PAIR_REFUSED) if _holds_half_pair(body) else None


def _past_any_record_number(value) -> bool:
    """A path's number that no record's id can be: past a bigint, where the database refuses to
    compare (SQLite's OverflowError, PostgreSQL's out-of-range DataError) instead of finding nothing."""
    if isinstance(value, str) and not SIGNED_DIGITS.fullmatch(value):
        return False
    return isinstance(value, (int, str)) and not isinstance(value, bool) and database_integer(value) is None


def _refuse_numbers_past_any_record():
    """/cases/show/99999999999999999999999 (and every other address with a record's number in it,
    on the screens and the API) is a 404, as for any number no record has."""
    if any(_past_any_record_number(value) for value in (request.view_args or {}).values()):
        from flask import abort

        abort(404)
    return None


def _refuse_unusable_fab_routes():
    """Routes every Flask-AppBuilder view has that could only fail here, not found instead:
    - /<view>/action/<name>/<pk> and /<view>/action_post looked the action up before checking who
      asks, and one the view does not have raised there: a 500 for anyone, signed in or not;
    - /<view>/download/<file> serves its models' file columns from UPLOAD_FOLDER. No model here
      has one (case photos have their own page, scoped to the case's agency), so it only ever
      failed: a 500 for any administrator who tried it."""
    endpoint = request.endpoint or ""
    view_name, _, method = endpoint.rpartition(".")
    if method not in ("action", "action_post", "download") or request.routing_exception is not None:
        return None
    from flask import abort

    if method == "download":
        abort(404)
    view = _view_named(view_name)
    if view is None or not hasattr(view, "actions"):
        return None
    name = (request.view_args or {}).get("name") if method == "action" else request.form.get("action")
    if name not in view.actions:
        abort(404)
    return None


def with_args(path: str, args) -> str:
    """`path` with these (name, value) pairs as its query: for arguments taken from a request,
    whose names url_for() would read as its own options (_scheme, _external, _anchor)."""
    query = urlencode(list(args))
    return f"{path}?{query}" if query else path


def _first_page_url() -> str:
    """This list's address on its first page: its own arguments but the page numbers."""
    return with_args(request.path, [(name, value) for name, value in request.args.items(multi=True)
                                    if "page_" not in name])


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

    from app.security import NoCookieOnSharedAnswers, renew_idle_session

    app.session_interface = NoCookieOnSharedAnswers()
    app.before_request(renew_idle_session)
    app.before_request(_csrf_guard)
    app.before_request(_refuse_nul_characters)
    app.before_request(_refuse_half_surrogate_pairs)
    app.before_request(_refuse_unusable_fab_routes)
    app.before_request(_refuse_numbers_past_any_record)
    app.before_request(_drop_unreadable_page_args)
    app.after_request(_default_headers)
    app.jinja_env.filters["thaidate"] = format_date
    # A global, not a context variable: Flask-AppBuilder's macros read it from imported templates.
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.jinja_env.filters["field_error"] = field_error
    install_form_messages()
    app.jinja_env.globals["first_on_page"] = _first_on_page
    app.jinja_env.globals["thai_text_attr"] = thai_text_attr
    app.jinja_env.globals["first_page_url"] = _first_page_url
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
        # Still 200 (the database answers), but a monitor can tell that the pages are about to fail:
        # "current", or why not ("... this code needs 0010: run `flask --app app db upgrade`").
        from app.services.schema_check import database_problem

        return jsonify(status="ok", database="up", schema=database_problem(db.session) or "current")
