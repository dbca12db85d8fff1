"""What a simulator endpoint answers, before the HTTP layer writes it."""
from __future__ import annotations

import json
from dataclasses import dataclass

JSON_TYPE = "application/json; charset=utf-8"


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str = JSON_TYPE
    drop: bool = False  # close the connection without answering
    break_off: bool = False  # announce the whole body, send half of it, close the connection
    short_applied: bool = False  # the body already claims more items than it holds


def json_reply(status: int, payload) -> Reply:
    return Reply(status, json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())


def error_reply(status: int, code: str, message: str) -> Reply:
    return json_reply(status, {"error": code, "message": message})


class BadRequest(Exception):
    """A request the simulator cannot serve; becomes a 400 (or the given status) JSON error."""

    def __init__(self, message: str, status: int = 400, code: str = "bad_request"):
        super().__init__(message)
        self.status = status
        self.code = code
