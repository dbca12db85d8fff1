"""Open311 GeoReport v2 at /open311/v2/, in JSON and XML (CONTRACT.md).

Thin: read the arguments, call the Open311 service, answer in the format the path names. Errors
are the spec's list of {code, description} with 400, 403 or 404 (and 405, with Allow, for a
method the resource does not take). GET needs no key; POST requests
needs a registered client's api_key. No Open311 call reads a cookie of ours, so none is checked for CSRF.
"""
from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, TooManyRequests

from app.api.errors import with_allow
from app.domain.open311 import (
    Open311Error, created_entry, parse_request_query, request_entry, service_definition, service_entry,
)
from app.domain.open311_format import render
from app.extensions import limiter
from app.i18n import has_thai
from app.models.types import utcnow
from app.services import open311 as open311_service

PREFIX = "/open311/v2"
bp = Blueprint("open311", __name__, url_prefix=PREFIX)
FORMAT = "<any(json, xml):fmt>"


def _lang() -> str:
    # Thai by default, as the jurisdiction speaks; lang=en for English names and labels.
    return "en" if request.args.get("lang") == "en" else "th"


def _answer(fmt: str, root: str, payload, status: int = 200, cache: str | None = None) -> Response:
    body, content_type = render(fmt, root, payload)
    response = Response(body, status=status, content_type=content_type)
    response.headers["Cache-Control"] = cache or "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _error(fmt: str, error: Open311Error) -> Response:
    return _answer(fmt, "errors", error.entries(), status=error.status)


def _format_of_path() -> str:
    return "xml" if request.path.endswith(".xml") else "json"


def _check_jurisdiction() -> None:
    given = (request.values.get("jurisdiction_id") or "").strip()
    ours = current_app.config.get("OPEN311_JURISDICTION_ID", "")
    if given and given != ours:
        raise Open311Error(404, f"jurisdiction_id: '{given[:60]}' was not found; this endpoint serves '{ours}'. / "
                                f"jurisdiction_id: ไม่พบ '{given[:60]}' ที่นี่ให้บริการ '{ours}'")


@bp.errorhandler(Open311Error)
def _open311_error(error: Open311Error):
    return _error(_format_of_path(), error)


@bp.errorhandler(TooManyRequests)
def _too_many(error):
    return _error(_format_of_path(), Open311Error(429, "Too many requests from this address or key; slow down. / "
                                                       "ส่งคำขอถี่เกินไปจากที่อยู่หรือคีย์นี้ กรุณาเว้นระยะ"))


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    return _error(_format_of_path(), Open311Error(400, "The request is too large. / คำขอมีขนาดใหญ่เกินไป"))


# What a client is told of an error on our side: not its request's fault, so not a 400.
SERVER_FAULT = ("The server failed to answer; nothing was saved. Try again later. / "
                "ระบบขัดข้อง ไม่มีการบันทึกข้อมูล กรุณาลองใหม่ภายหลัง")


_THAI_WORDS = {400: "คำขอไม่ถูกต้อง", 403: "ไม่มีสิทธิ์ทำรายการนี้", 404: "ไม่พบสิ่งที่ขอ",
               405: "ที่อยู่นี้ไม่รับวิธีส่งคำขอนี้"}


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    """Every other HTTP error of these paths, in the spec's error format (also used by the app's
    error pages, whose handlers by status code come before this blueprint's by class, and for
    routing errors, which belong to no blueprint). A client's error the spec does not list is a
    400; a fault of ours keeps its 5xx."""
    if (error.code or 500) >= 500:
        status = error.code or 500
        description = error.description if status == 503 else SERVER_FAULT
    else:
        status = error.code if error.code in (400, 403, 404, 405) else 400
        description = error.description or error.name
        if not has_thai(description):  # Werkzeug's own words: the Thai beside them
            description = f"{description} / {_THAI_WORDS[status]}"
    return with_allow(_error(_format_of_path(), Open311Error(status, description)), error)


def _limit(setting: str):
    def value() -> str:
        return current_app.config.get(setting) or "1000000 per second"

    def off() -> bool:
        return not current_app.config.get("RATELIMIT_ENABLED", True) or not current_app.config.get(setting)

    return limiter.limit(value, exempt_when=off)


@bp.get(f"/services.{FORMAT}")
@_limit("OPEN311_GET_RATE_LIMIT")
def services(fmt: str):
    _check_jurisdiction()
    lang = _lang()
    return _answer(fmt, "services", [service_entry(s, lang) for s in open311_service.services()],
                   cache="public, max-age=300")


@bp.get(f"/services/<code>.{FORMAT}")
@_limit("OPEN311_GET_RATE_LIMIT")
def service(code: str, fmt: str):
    _check_jurisdiction()
    return _answer(fmt, "service_definition", service_definition(open311_service.service(code)),
                   cache="public, max-age=300")


@bp.get(f"/requests.{FORMAT}")
@_limit("OPEN311_GET_RATE_LIMIT")
def requests(fmt: str):
    _check_jurisdiction()
    query = parse_request_query(request.args, utcnow())
    lang = _lang()
    rows = open311_service.requests(query)
    return _answer(fmt, "service_requests", [request_entry(row, lang) for row in rows], cache="public, max-age=30")


def _posted_form() -> dict:
    if request.is_json:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise Open311Error(400, "The body must be application/x-www-form-urlencoded (or a JSON object). / "
                                    "เนื้อหาคำขอต้องเป็น application/x-www-form-urlencoded (หรือออบเจกต์ JSON)")
        return {str(k)[:60]: _posted_value(str(k)[:60], v) for k, v in body.items() if v is not None}
    return request.form.to_dict()


def _posted_value(name: str, value) -> str:
    """A JSON field as the form would carry it: text as it is, a number in its own spelling; true or
    false, a list or an object would be stored in Python's spelling, so they are refused."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return json.dumps(value)
    raise Open311Error(400, f"{name}: must be text or a number. / {name}: ต้องเป็นข้อความหรือตัวเลข")


@bp.post(f"/requests.{FORMAT}")
@_limit("OPEN311_POST_RATE_LIMIT")
def create_request(fmt: str):
    form = _posted_form()
    given = (form.get("jurisdiction_id") or "").strip()
    if given and given != current_app.config.get("OPEN311_JURISDICTION_ID"):
        raise Open311Error(404, f"jurisdiction_id: '{given[:60]}' was not found. / jurisdiction_id: ไม่พบ '{given[:60]}'")
    code, chosen = open311_service.create_request(form, origin=request.remote_addr)
    lang = _lang()
    if lang == "th":
        notice = f"รับเรื่องแล้ว เลขที่ {code} หน่วยงานดำเนินการภายใน {chosen.sla_days} วันทำการ"
    else:
        notice = f"Received as {code}; the agency aims to complete it within {chosen.sla_days} working days."
    return _answer(fmt, "service_requests", [created_entry(code, notice)], status=201)


@bp.get(f"/requests/<service_request_id>.{FORMAT}")
@_limit("OPEN311_GET_RATE_LIMIT")
def request_by_id(service_request_id: str, fmt: str):
    _check_jurisdiction()
    return _answer(fmt, "service_requests", [request_entry(open311_service.request(service_request_id), _lang())],
                   cache="public, max-age=30")


@bp.get(f"/tokens/<token>.{FORMAT}")
@_limit("OPEN311_GET_RATE_LIMIT")
def token(token: str, fmt: str):
    _check_jurisdiction()
    # Every service here is "realtime": POST answers with the service_request_id at once and hands
    # out no tokens, so no token can be resolved.
    raise Open311Error(404, f"token: '{token[:60]}' was not found. This endpoint creates requests in real "
                            "time and returns their service_request_id directly; it issues no tokens. / "
                            f"token: ไม่พบ '{token[:60]}' ที่นี่สร้างเรื่องทันทีและตอบ service_request_id "
                            "กลับไปเลย จึงไม่ออกโทเค็น")


@bp.route("/", methods=["GET"])
def index():
    fmt = "json"
    return _answer(fmt, "discovery", {
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "jurisdiction_id": current_app.config.get("OPEN311_JURISDICTION_ID"),
        "formats": ["application/json", "text/xml"],
        "endpoints": [f"{PREFIX}/services.json", f"{PREFIX}/requests.json"],
    })


_CATCH_ALL = "open311.unknown"


def _methods_served_here() -> set[str]:
    """The methods this path's own resource takes, leaving out the catch-all below (which takes
    every method only so that a wrong one is answered here, not refused as a form without its
    CSRF token)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    served = set()
    for method in ("GET", "POST"):
        try:
            endpoint, _ = adapter.match(method=method)
        except HTTPException:
            continue
        if endpoint != _CATCH_ALL:
            served |= {method, "HEAD"} if method == "GET" else {method}
    return served


@bp.after_request
def _allow_only_what_is_served(response: Response) -> Response:
    if request.method == "OPTIONS" and "Allow" in response.headers:
        response.headers["Allow"] = ", ".join(sorted(_methods_served_here() | {"OPTIONS"}))
    return response


@bp.route("/<path:anything>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(anything: str):
    resource = anything.removesuffix(".json").removesuffix(".xml")[:80]
    served = _methods_served_here()
    if served:
        response = _error(_format_of_path(), Open311Error(
            405, f"{PREFIX}/{resource} does not take {request.method}; it takes {', '.join(sorted(served))}. / "
                 f"{PREFIX}/{resource} ไม่รับ {request.method} รับเฉพาะ {', '.join(sorted(served))}"))
        response.headers["Allow"] = ", ".join(sorted(served | {"OPTIONS"}))
        return response
    raise Open311Error(404, f"No such resource: {request.method} {PREFIX}/{resource}. / "
                            f"ไม่มีที่อยู่นี้: {request.method} {PREFIX}/{resource}")
