"""The public pages: status lookup, the complaint form, and the requester's private link.

Plain Flask views on a small standalone layout (no Flask-AppBuilder base template, no security
manager calls), so an anonymous status page is one indexed lookup and a light render. The track
page reads no session and sets no cookie; the forms carry a CSRF token.
"""
from __future__ import annotations

import time
from urllib.parse import urlencode

from flask import Blueprint, current_app, make_response, redirect, request, session, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge, TooManyRequests

from app.domain import geo
from app.domain import photos as photo_rules
from app.domain.case_rules import MAX_LENGTHS, ValidationFailed
from app.domain.errors import RuleError
from app.domain.public_form import HONEYPOT_FIELD, LooksAutomated
from app.domain.public_status import public_address
from app.domain.public_text import BY_LANGUAGE, error_title, text
from app.domain.statuses import CLOSED_STATUSES, STATUS_LABELS, label
from app.extensions import csrf, limiter
from app.i18n import format_date
from app.services import public_status, requester_links
from app.services.errors import NotFound
from app.services.public_intake import Upload, complaint_types, file_complaint

bp = Blueprint("public", __name__)
LANGUAGES = ("th", "en")
# Rules for every public page: no outside hosts, no framing, nothing leaks the private link onwards.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
PRIVATE = "no-store"
# A status page holds nothing personal; a short shared cache lifetime keeps it fresh enough.
SHAREABLE = "public, max-age=30"
# After a complaint is filed the browser is sent on to a confirmation page (Post/Redirect/Get), so
# that reloading it cannot send the form again. The page needs the tracking code and the private
# link's token, which the database keeps only as a hash: they ride in the signed session cookie (the
# one the form's CSRF token already uses), never in a URL, and are shown again on reload for a while.
FILED_SESSION_KEY = "public_filed"
FILED_SHOWN_SECONDS = 60 * 60


def public_lang() -> str:
    chosen = request.args.get("lang") or (request.form.get("lang") if request.method == "POST" and
                                          request.mimetype in ("application/x-www-form-urlencoded",
                                                               "multipart/form-data") else None)
    if chosen in LANGUAGES:
        return chosen
    if request.cookies.get(current_app.config.get("SESSION_COOKIE_NAME", "session")):
        remembered = session.get("locale")
        if remembered in LANGUAGES:
            return remembered
    default = current_app.config.get("BABEL_DEFAULT_LOCALE", "th")
    return default if default in LANGUAGES else "th"


def _switch_url(target: str) -> str:
    args = {k: v for k, v in request.args.items() if k != "lang"}
    args["lang"] = target
    return f"{request.path}?{urlencode(args)}"


def _url(endpoint: str, lang: str, **values) -> str:
    if lang != current_app.config.get("BABEL_DEFAULT_LOCALE", "th"):
        values["lang"] = lang
    return url_for(endpoint, **values)


def render(template: str, status: int = 200, cache: str = PRIVATE, **context):
    lang = context.pop("lang", None) or public_lang()
    # Straight from the Jinja environment: these pages use its globals (url_for, csrf_token) and
    # nothing the context processors add (the signed-in user, FAB's menus).
    body = current_app.jinja_env.get_template(template).render(
        lang=lang, t=BY_LANGUAGE[lang], switch_url=_switch_url,
        url=lambda endpoint, **v: _url(endpoint, lang, **v), date=lambda value: format_date(value, lang),
        status_label=lambda value: label(STATUS_LABELS, value, lang), **context)
    response = make_response(body, status)
    response.headers["Cache-Control"] = cache
    if cache != PRIVATE:
        response.headers["Vary"] = "Cookie"
    return response


@bp.after_request
def _security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def render_home():
    return render("public/home.html", code="", message=None)


# ---- status lookup -------------------------------------------------------------------------------

@bp.get("/staff-sign-in")
def staff_sign_in():
    """The public pages' link to the staff sign-in, which opens in the language they were read in
    (the staff screens keep theirs in the session; the public pages carry it in ?lang=)."""
    session["locale"] = public_lang()
    return redirect("/login/")


@bp.get("/track")
def lookup():
    typed = (request.args.get("code") or "").strip()
    lang = public_lang()
    if not typed:
        return render("public/home.html", code="", message=None if "code" not in request.args else
                      text("track.empty", lang), status=200 if "code" not in request.args else 400)
    canonical = public_status.canonical_code(typed)
    if canonical is None:
        return render("public/not_found.html", status=404, code=typed[:40], message=text("track.malformed", lang))
    return redirect(_url("public.track", lang, code=canonical))


def _case_or_404(code: str):
    found = public_status.find(code)
    if found is None:
        lang = public_lang()
        shown = code[:40]
        message = text("track.not_found", lang, code=shown) if public_status.canonical_code(code) else \
            text("track.malformed", lang)
        return None, render("public/not_found.html", status=404, code=shown, message=message)
    return found, None


@bp.get("/track/<code>")
def track(code: str):
    found, not_found = _case_or_404(code)
    if not_found is not None:
        return not_found
    if found.tracking_code != code:
        return redirect(_url("public.track", public_lang(), code=found.tracking_code), 301)
    return render("public/track.html", case=found, cache=SHAREABLE, closed=found.status in CLOSED_STATUSES,
                  place=public_address(found.province, found.district, public_lang()))


# ---- the requester's private link ---------------------------------------------------------------

@bp.get("/track/<code>/private/<token>")
def private(code: str, token: str):
    try:
        state = requester_links.check(code, token)
    except NotFound:
        return _link_not_found(code)
    found = public_status.find(code)
    return render("public/private.html", case=found, state=state, token=token, done=request.args.get("done"),
                  error=None, closed=state.closed, place=public_address(found.province, found.district, public_lang()))


def _link_not_found(code: str):
    shown = code[:40]
    return render("public/not_found.html", status=404, code=shown,
                  message=text("track.not_found", public_lang(), code=shown))


def _private_action(code: str, token: str, action, done: str):
    lang = public_lang()
    try:
        action()
    except NotFound:
        return _link_not_found(code)
    except RuleError as error:
        # What was sent is checked before the link: a wrong link with a bad answer is still not found.
        try:
            state = requester_links.check(code, token)
        except NotFound:
            return _link_not_found(code)
        found = public_status.find(code)
        return render("public/private.html", status=error.http_status if error.http_status != 422 else 400,
                      case=found, state=state, token=token, done=None, error=error.message(lang),
                      error_field=error.field, typed=request.form,
                      closed=state.closed, place=public_address(found.province, found.district, lang))
    return redirect(_url("public.private", lang, code=code, token=token, done=done), 303)


@bp.post("/track/<code>/private/<token>/rate")
def rate(code: str, token: str):
    origin = request.remote_addr
    return _private_action(code, token, lambda: requester_links.rate(code, token, request.form.get("stars"),
                                                                      origin=origin), "rated")


@bp.post("/track/<code>/private/<token>/reopen")
def reopen(code: str, token: str):
    origin = request.remote_addr
    return _private_action(code, token, lambda: requester_links.reopen(code, token, request.form.get("note"),
                                                                        origin=origin), "reopened")


# ---- the complaint form --------------------------------------------------------------------------

def _limits_off() -> bool:
    return not current_app.config.get("RATELIMIT_ENABLED", True) or not current_app.config.get(
        "PUBLIC_COMPLAINT_RATE_LIMIT")


def _complaint_limit() -> str:
    return current_app.config.get("PUBLIC_COMPLAINT_RATE_LIMIT") or "1000000 per second"


def _attempt_limit() -> str:
    return current_app.config.get("PUBLIC_COMPLAINT_ATTEMPT_RATE_LIMIT") or "1000000 per second"


def _filed(response) -> bool:
    return response.status_code == 303


def _form_page(status: int = 200, values=None, errors=None, notice: str | None = None):
    lang = public_lang()
    options = complaint_types()
    groups: dict[str, list] = {}
    for option in options:
        groups.setdefault(option.agency_name_th if lang == "th" else option.agency_name_en, []).append(option)
    districts = {p.code: [d.name_th if lang == "th" else d.name_en for d in p.districts] for p in geo.provinces()}
    field_errors: dict[str, list[str]] = {}
    for error in errors or []:
        field_errors.setdefault(error.field or "", []).append(error.message(lang))
    config = current_app.config
    # The browser checks the chosen photos against the same limits before sending: a form past the
    # request limit is refused before any field is read, and what was typed would be lost.
    photo_checks = {"too_large": photo_rules.too_large("{n}", config["PUBLIC_MAX_PHOTO_BYTES"]).message(lang),
                    "too_many": photo_rules.too_many("{count}", config["PUBLIC_MAX_PHOTOS"]).message(lang)}
    return render("public/complain.html", status=status, lang=lang, groups=groups,
                  provinces=geo.provinces_by_name(lang), districts=districts, values=values or {},
                  errors=[(e.field or "", e.message(lang)) for e in errors or []], field_errors=field_errors,
                  notice=notice, notice_title=error_title(status, lang) if notice else None,
                  honeypot=HONEYPOT_FIELD, limits=MAX_LENGTHS, max_photos=config["PUBLIC_MAX_PHOTOS"], photo_checks=photo_checks,
                  max_photo_bytes=config["PUBLIC_MAX_PHOTO_BYTES"], max_photo_mb=f"{config['PUBLIC_MAX_PHOTO_BYTES'] / (1024 * 1024):g}")


def _typed_values() -> dict:
    """What the visitor typed, to show the form again with it (never the token or the honeypot)."""
    return {k: v for k, v in request.form.items() if k not in ("csrf_token", HONEYPOT_FIELD)}


def _uploads(limit_bytes: int) -> list[Upload]:
    uploads = []
    for storage in request.files.getlist("photos"):
        if not storage or not (storage.filename or "").strip():
            continue
        # One byte past the limit is enough to know a file is too large.
        uploads.append(Upload(storage.filename[:200], storage.stream.read(limit_bytes + 1)))
    return uploads


@bp.route("/complain", methods=["GET", "POST"])
# Complaints filed count against the complaint limit; a form sent back to be corrected does not,
# or a citizen fixing a mistyped phone would be locked out. Every sending counts against a wider
# limit, which keeps a flood of refused forms (photos decoded for nothing) in check.
@limiter.limit(_complaint_limit, methods=["POST"], exempt_when=_limits_off, deduct_when=_filed,
               scope="complaint-filed")
@limiter.limit(_attempt_limit, methods=["POST"], exempt_when=_limits_off, scope="complaint-sent")
def complain():
    if request.method == "GET":
        return _form_page()
    config = current_app.config
    values = _typed_values()
    try:
        filed = file_complaint(request.form, _uploads(config["PUBLIC_MAX_PHOTO_BYTES"]), origin=request.remote_addr,
                               max_photos=config["PUBLIC_MAX_PHOTOS"],
                               max_photo_bytes=config["PUBLIC_MAX_PHOTO_BYTES"])
    except LooksAutomated as refused:
        return _form_page(400, values, [refused])
    except ValidationFailed as failed:
        return _form_page(400, values, failed.errors)
    session[FILED_SESSION_KEY] = {"code": filed.tracking_code, "token": filed.link_token, "at": int(time.time())}
    return redirect(_url("public.complaint_filed", public_lang()), 303)


def _last_filed() -> dict | None:
    shown = session.get(FILED_SESSION_KEY)
    if not isinstance(shown, dict) or not {"code", "token", "at"} <= shown.keys():
        return None
    if time.time() - shown["at"] > FILED_SHOWN_SECONDS:
        session.pop(FILED_SESSION_KEY)
        return None
    return shown


@bp.get("/complain/filed")
def complaint_filed():
    lang = public_lang()
    shown = _last_filed()
    if shown is None:
        return redirect(_url("public.complain", lang), 303)
    private_url = url_for("public.private", code=shown["code"], token=shown["token"], _external=True)
    if lang != current_app.config.get("BABEL_DEFAULT_LOCALE", "th"):
        private_url += f"?lang={lang}"
    # What happens next: the agency that has it and its expected date, as the status page shows them.
    return render("public/filed.html", lang=lang, code=shown["code"], private_url=private_url,
                  case=public_status.find(shown["code"]))


# ---- errors on public pages ----------------------------------------------------------------------

def _error_page(status: int, key: str, **values):
    lang = public_lang_safe()
    return render("public/error.html", status=status, lang=lang, message=text(key, lang, **values),
                  title=error_title(status, lang, csrf=key == "error.csrf"))


def render_error(status: int, thai: str, english: str, *, csrf: bool = False):
    """An error of any page, for a visitor: the public pages' layout in their language."""
    lang = public_lang_safe()
    return render("public/error.html", status=status, lang=lang, message=thai if lang == "th" else english,
                  title=error_title(status, lang, csrf=csrf))


def public_lang_safe() -> str:
    """The language without reading the body (which may be the very thing that failed)."""
    chosen = request.args.get("lang")
    return chosen if chosen in LANGUAGES else current_app.config.get("BABEL_DEFAULT_LOCALE", "th")


@bp.errorhandler(CSRFError)
def _csrf_failed(error):
    return _error_page(400, "error.csrf")


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    size = f"{current_app.config.get('MAX_CONTENT_LENGTH', 0) / (1024 * 1024):g}"
    return _error_page(413, "error.too_large", size=size)


def _our_form_sent() -> bool:
    """A post of the complaint form as this visitor's browser got it (its CSRF token holds)."""
    if request.endpoint != "public.complain" or request.method != "POST":
        return False
    try:
        csrf.protect()
    except CSRFError:
        return False
    return True


@bp.errorhandler(TooManyRequests)
def _too_many(error):
    if _our_form_sent():
        # Refused for the rate, not for what was typed: the form again with all of it (photos
        # aside), to send once the wait is over.
        response = _form_page(429, _typed_values(), notice=text("error.too_many", public_lang()))
    else:
        response = _error_page(429, "error.too_many")
    retry = getattr(error, "retry_after", None)
    if retry:
        response.headers["Retry-After"] = str(retry)
    return response

