"""Errors that carry a stable code and a message in Thai and in English."""
from __future__ import annotations


class RuleError(Exception):
    """A rule refused an input. Screens show message_th or message_en; APIs return code too."""

    code = "invalid"
    http_status = 400

    def __init__(self, message_en: str, message_th: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_th = message_th
        self.field = field
        if code:
            self.code = code

    def message(self, lang: str) -> str:
        return self.message_th if lang == "th" else self.message_en

    def as_dict(self) -> dict:
        data = {"code": self.code, "message": self.message_en, "message_th": self.message_th}
        if self.field:
            data["field"] = self.field
        return data
