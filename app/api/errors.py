"""The one shape of every error under /api/: {"code", "message", "message_th"}, with "field" or
"errors" when a field is at fault; and how the OpenAPI document describes it.

The case API's own refusals already have that shape. Flask-AppBuilder's answers ({"message": ...})
and the token checks' ({"msg": ...}) are brought to it as they leave, keeping their English detail.
"""
from __future__ import annotations

import json

from flask import Response, current_app, request

# status: (code, Thai, English) for answers that come without a code of their own.
API_MESSAGES = {
    400: ("bad_request", "คำขอไม่ถูกต้อง", "The request was not understood."),
    401: ("unauthorized", "กรุณาเข้าสู่ระบบ หรือส่งโทเค็นที่ยังใช้ได้ในส่วนหัว Authorization",
          "Log in, or send a valid access token in the Authorization header."),
    403: ("forbidden", "ท่านไม่มีสิทธิ์ทำรายการนี้", "You are not allowed to do this."),
    404: ("not_found", "ไม่พบที่อยู่หรือรายการที่ต้องการ หรือรายการไม่อยู่ในขอบเขตของท่าน",
          "There is no such address or record, or the record is outside your agency."),
    405: ("method_not_allowed", "ที่อยู่นี้ไม่รับคำขอแบบนี้", "This address does not take that kind of request."),
    409: ("conflict", "ทำรายการนี้ไม่ได้ในสถานะปัจจุบัน", "This cannot be done in the current state."),
    413: ("too_large", "คำขอมีขนาดใหญ่เกินกำหนด", "The request is larger than this server takes."),
    422: ("validation_failed", "ข้อมูลไม่ถูกต้อง", "The data sent is not valid."),
    429: ("too_many_requests", "มีคำขอมากเกินไป กรุณารอสักครู่แล้วลองใหม่", "Too many requests; wait a moment and try again."),
    500: ("server_error", "ระบบขัดข้อง ข้อมูลไม่ถูกบันทึกครึ่ง ๆ กลาง ๆ กรุณาลองใหม่อีกครั้ง",
          "Something went wrong on our side; nothing was half saved. Please try again."),
}
LOGIN_FAILED = ("unauthorized", "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง หรือบัญชีถูกระงับ",
                "The username or password is not correct, or the account is disabled.")
# Flask-AppBuilder's bare words, replaced by ours; any other message is a detail worth keeping.
_GENERIC = {"Not found", "Forbidden", "Not authorized", "Arguments are not correct", "Fatal error"}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message", "message_th"],
    "properties": {
        "code": {"type": "string", "description": "A stable code, e.g. not_json, bad_request, invalid_filter, "
                                                  "unauthorized, forbidden, not_found, conflict, validation_failed"},
        "message": {"type": "string", "description": "What went wrong, in English"},
        "message_th": {"type": "string", "description": "What went wrong, in Thai"},
        "field": {"type": "string", "description": "The field at fault, when there is one"},
        "errors": {
            "type": "array",
            "description": "Every invalid field (422)",
            "items": {
                "type": "object",
                "required": ["field", "code", "message", "message_th"],
                "properties": {"field": {"type": "string"}, "code": {"type": "string"},
                               "message": {"type": "string"}, "message_th": {"type": "string"}},
            },
        },
    },
}
ERROR_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
ERROR_RESPONSES = {
    "400": "The request cannot be taken: not JSON, an unreadable q argument or filter, or a value the rules refuse",
    "401": "No login or access token, or one that is not valid (expired, malformed)",
    "403": "The caller's role may not do this",
    "404": "No such case in the caller's scope",
    "405": "The address does not take this method",
    "409": "The case's state does not allow it, or the case changed since the version sent",
    "413": "The body is larger than the server takes (MAX_CONTENT_LENGTH)",
    "422": "Invalid fields; errors lists each one",
    "429": "Too many requests; wait and try again",
    "500": "Server error; nothing was half saved",
}


def _flat(detail) -> str | None:
    """A detail as one line: field errors ({"password": ["Missing data ..."]}) as "password: Missing data ..."."""
    if isinstance(detail, dict):
        return "; ".join(f"{field}: {' '.join(map(str, v)) if isinstance(v, list) else v}"
                         for field, v in detail.items()) or None
    return detail if isinstance(detail, str) and detail.strip() else None


def error_body(status: int, detail=None, words: tuple[str, str, str] | None = None) -> dict:
    code, thai, english = words or API_MESSAGES.get(status, API_MESSAGES[500] if status >= 500 else API_MESSAGES[400])
    detail = _flat(detail)
    message = detail if detail and detail not in _GENERIC and not words else english
    return {"code": code, "message": message, "message_th": thai}


def too_large_body() -> dict:
    """413: the body's limit (MAX_CONTENT_LENGTH) in both languages."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return {"code": "too_large", "message": f"The request body is larger than this server takes ({limit:,} bytes).",
            "message_th": f"เนื้อหาคำขอมีขนาดใหญ่เกินกำหนด ({limit:,} ไบต์)"}


def error_response(status: int, detail=None) -> Response:
    return Response(json.dumps(error_body(status, detail), ensure_ascii=False), status=status,
                    content_type="application/json")


def with_allow(response: Response, error) -> Response:
    """A 405 answer built for an HTTP error, with the Allow header Werkzeug's own answer carries."""
    if error.code == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def body_past_limit() -> bool:
    """Whether the request says its body is larger than MAX_CONTENT_LENGTH (refused on its own,
    before anything reads it)."""
    limit = request.max_content_length
    return limit is not None and (request.content_length or 0) > limit


def refuse_too_large_api_bodies():
    """before_request: a body over the limit is a 413 before any API view reads it (Flask-AppBuilder's
    views catch every exception, the reader's 413 included, and answer 500)."""
    if request.path.startswith("/api/") and body_past_limit():
        return Response(json.dumps(too_large_body(), ensure_ascii=False), status=413, content_type="application/json")
    return None


LOGIN_PATH = "/api/v1/security/login"


def refuse_login_without_provider():
    """before_request: the API's login reads `provider` without a default, so a body without it
    was a 500; it is a 400 that names it ("db", the only one here)."""
    if request.path != LOGIN_PATH or request.method != "POST":
        return None
    body = request.get_json(silent=True)
    if isinstance(body, dict) and body.get("provider") is None:
        payload = {"code": "bad_request", "field": "provider",
                   "message": 'provider: give "db" (sign in with a user name and password).',
                   "message_th": 'provider: กรุณาระบุ "db" (เข้าสู่ระบบด้วยชื่อผู้ใช้และรหัสผ่าน)'}
        return Response(json.dumps(payload, ensure_ascii=False), status=400, content_type="application/json")
    return None


def give_api_errors_their_shape(response: Response) -> Response:
    """after_request: an error under /api/ without a code gets one, with a Thai message beside the
    English. Answers that already have a code (the case API's own) pass as they are."""
    if response.status_code < 400 or not request.path.startswith("/api/") or response.direct_passthrough:
        return response
    if response.mimetype != "application/json":
        # A page from elsewhere (Werkzeug's 413, a rate limit's 429): the same JSON instead.
        response.set_data(json.dumps(error_body(response.status_code), ensure_ascii=False))
        response.content_type = "application/json"
        return response
    data = response.get_json(silent=True)
    if not isinstance(data, dict) or "code" in data:
        return response
    detail = data.get("message", data.get("msg"))
    words = LOGIN_FAILED if response.status_code == 401 and request.path.endswith("/security/login") else None
    response.set_data(json.dumps(error_body(response.status_code, detail, words), ensure_ascii=False))
    return response


def document_errors(api_spec) -> None:
    """The OpenAPI document's shared error responses, all in the one shape."""
    api_spec.components.schemas["Error"] = ERROR_SCHEMA
    for status, description in ERROR_RESPONSES.items():
        api_spec.components.responses[status] = {"description": description, "content": ERROR_CONTENT}
