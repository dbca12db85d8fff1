"""Error pages in the app's own layout and the reader's language, instead of Werkzeug's bare
English ones: staff see them inside the menu bar, the public on the public pages' plain layout,
and API clients get JSON with a Thai and an English message."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from app.api.errors import API_MESSAGES, with_allow
from app.domain.public_text import TEXT, error_title

log = logging.getLogger(__name__)

# status: (code, Thai, English), for API clients both, for people the one of their language.
MESSAGES = {
    400: ("bad_request", "คำขอไม่ถูกต้อง", "The request was not understood."),
    403: ("forbidden", "ท่านไม่มีสิทธิ์เปิดหน้านี้", "You are not allowed to open this page."),
    404: ("not_found", "ไม่พบหน้าหรือรายการที่ต้องการ อาจถูกลบไป ย้ายไปหน่วยงานอื่น หรือไม่อยู่ในขอบเขตของท่าน",
          "There is no such page or record here: it may have been removed, forwarded to another agency, "
          "or be outside your agency."),
    405: ("method_not_allowed", "หน้านี้ไม่รับคำขอแบบนี้", "This page does not take that kind of request."),
    500: ("server_error", "ระบบขัดข้อง ข้อมูลไม่ถูกบันทึกครึ่ง ๆ กลาง ๆ กรุณาลองใหม่อีกครั้ง",
          "Something went wrong on our side; nothing was half saved. Please try again."),
}
# The database does not answer (a restart, an outage): not a fault of the page, and it passes.
UNAVAILABLE = ("unavailable",
               "ระบบไม่พร้อมให้บริการชั่วคราวเนื่องจากฐานข้อมูลไม่ตอบสนอง ข้อมูลไม่ถูกบันทึก กรุณาลองใหม่ในอีกสักครู่",
               "The service is briefly unavailable: its database does not answer. Nothing was saved; "
               "please try again in a few minutes.")
RETRY_AFTER_SECONDS = 60
# What a visitor without an account reads instead, where the staff's words would puzzle them.
VISITOR_MESSAGES = {
    404: ("not_found", "ไม่พบหน้าที่ต้องการ กรุณาตรวจสอบที่อยู่เว็บไซต์อีกครั้ง หรือค้นหาเรื่องด้วยเลขที่เรื่อง",
          "There is no such page here. Check the address, or look up a case by its tracking code."),
}
CSRF_MESSAGE = ("csrf", *TEXT["error.csrf"])  # the public pages' own words for it
_JSON_PREFIXES = ("/api/", "/open311/", "/health")


def error_page(status: int, code: str, thai: str, english: str):
    """The error page (or JSON) of a status with words of the caller's: for a view that knows why."""
    return _answer(status, code, thai, english)


def _answer(status: int, code: str, thai: str, english: str):
    if request.path.startswith(_JSON_PREFIXES):
        if request.path.startswith("/api/") and status in API_MESSAGES and code == API_MESSAGES[status][0]:
            code, thai, english = API_MESSAGES[status]  # the API's words: a record or an address, not a page
        return jsonify({"code": code, "message": english, "message_th": thai}), status
    if current_user.is_authenticated:
        try:
            from app.extensions import appbuilder
            from app.i18n import lang

            message = thai if lang() == "th" else english
            title = error_title(status, lang(), csrf=code == CSRF_MESSAGE[0])
            return render_template("rueang/error.html", appbuilder=appbuilder, base_template=appbuilder.base_template,
                                   status=status, message=message, title=title), status
        except Exception:  # the layout itself failed (its menu reads the database): the plain page
            log.exception("error page in the staff layout failed")
    from app.views.public import render_error

    code, thai, english = VISITOR_MESSAGES.get(status, (code, thai, english))
    return render_error(status, thai, english, csrf=code == CSRF_MESSAGE[0])


def _http_error(error: HTTPException):
    if request.blueprint == "open311" or request.path.startswith("/open311/"):
        # Flask looks for handlers by status code before handlers by class, so these would
        # otherwise stand before Open311's own error format; a routing error (a method no
        # route takes) belongs to no blueprint at all.
        from app.api.open311 import http_error

        return http_error(error)
    if error.code not in MESSAGES:
        return error  # 401, 413, 429 ...: their own answers (and the blueprints' own pages)
    return with_allow(make_response(_answer(error.code, *MESSAGES[error.code])), error)


def _too_large(error: RequestEntityTooLarge):
    """A request past MAX_CONTENT_LENGTH, on the staff side (the only upload there is the Excel
    import) or the API. The public pages and Open311 answer it themselves: their handlers are
    by class in their blueprints, which come before this one of the app."""
    from flask import current_app

    from app.services.import_uploads import FileTooLarge

    refused = FileTooLarge(int(current_app.config.get("MAX_CONTENT_LENGTH") or 0))
    return _answer(413, "too_large", refused.message_th, refused.message_en)


def _csrf_error(error: CSRFError):
    if request.blueprint == "open311":
        return _http_error(error)
    return _answer(400, *CSRF_MESSAGE)


def _database_error(error):
    """A database that cannot be reached answers 503 with Retry-After (monitors and proxies read
    it as passing); any other database error is the 500 it always was."""
    from werkzeug.exceptions import InternalServerError, ServiceUnavailable

    from app.domain.database_errors import database_error_detail, database_unreachable

    _end_failed_transaction()
    if not database_unreachable(error):
        log.error("Exception on %s [%s]", request.path, request.method, exc_info=error)
        return _http_error(InternalServerError(original_exception=error))
    log.error("the database does not answer (%s %s): %s", request.method, request.path, database_error_detail(error))
    if request.blueprint == "open311":
        from app.api.open311 import http_error

        response = make_response(http_error(ServiceUnavailable(UNAVAILABLE[2])))
    else:
        response = make_response(_answer(503, *UNAVAILABLE))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _end_failed_transaction() -> None:
    """A statement PostgreSQL refused leaves its transaction aborted: the error page's own reads
    (the staff menu, the signed-in user) would fail in it and fall back to the visitor's page."""
    from app.extensions import db

    try:
        db.session.rollback()
    except Exception:  # the connection itself is gone: the page does without it
        log.debug("rollback after a database error failed", exc_info=True)


NUMBER_TOO_LARGE = ("number_too_large", "ตัวเลขในคำขอมีค่ามากเกินกว่าที่ระบบเก็บได้ กรุณาตรวจสอบแล้วลองใหม่",
                    "A number in the request is larger than any the records hold; check it and try again.")


def _number_too_large(error):
    """A number past what the database compares (a filter on a list, say), where a database error
    was the 500: SQLite raises OverflowError binding it, PostgreSQL a DataError (SQLSTATE 22003).
    Any other database error stays the 500 it was."""
    from werkzeug.exceptions import InternalServerError

    from app.domain.database_errors import number_out_of_range

    _end_failed_transaction()
    if not number_out_of_range(error):
        log.error("Exception on %s [%s]", request.path, request.method, exc_info=error)
        return _http_error(InternalServerError(original_exception=error))
    if request.blueprint == "open311" or request.path.startswith("/open311/"):
        from werkzeug.exceptions import BadRequest

        return _http_error(BadRequest(f"{NUMBER_TOO_LARGE[2]} / {NUMBER_TOO_LARGE[1]}"))
    return _answer(400, *NUMBER_TOO_LARGE)


def register_error_pages(app: Flask) -> None:
    # Unhandled exceptions reach the 500 page too (Flask hands them over as InternalServerError,
    # after logging them).
    for status in MESSAGES:
        app.register_error_handler(status, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    from sqlalchemy.exc import InterfaceError, OperationalError

    app.register_error_handler(OperationalError, _database_error)
    from sqlalchemy.exc import DataError

    app.register_error_handler(DataError, _number_too_large)
    app.register_error_handler(OverflowError, _number_too_large)
    app.register_error_handler(InterfaceError, _database_error)
    try:  # the public status page reads through the driver itself (app/services/hot_reads.py)
        from psycopg import OperationalError as DriverOperationalError
    except ImportError:
        pass
    else:
        app.register_error_handler(DriverOperationalError, _database_error)
    from app.api.errors import give_api_errors_their_shape, refuse_login_without_provider, refuse_too_large_api_bodies

    app.before_request(refuse_too_large_api_bodies)
    app.before_request(refuse_login_without_provider)
    app.after_request(give_api_errors_their_shape)
