"""Linked cases: a complaint about a factory tied to that factory's licence request at another
agency, or a complaint filed twice. What a link may join and how it reads from either side.

A link joins two cases, whichever agencies hold them; the agency that makes it owns it. From the
other side it shows only what the public status page shows of a case (its code, agency, type
and status), so linking shares no personal data.
"""
from __future__ import annotations

from enum import StrEnum

from app.domain.case_rules import ValidationFailed, is_text_value
from app.domain.errors import RuleError

MAX_LINKS_PER_CASE = 50
MAX_NOTE_CHARS = 500


class LinkKind(StrEnum):
    RELATED = "related"
    # The linking case repeats the linked one.
    DUPLICATE = "duplicate"


# (Thai, English) as read from the case that made the link, then from the linked case.
LINK_LABELS = {
    LinkKind.RELATED: (("เกี่ยวข้องกับ", "Related to"), ("เกี่ยวข้องกับ", "Related to")),
    LinkKind.DUPLICATE: (("ซ้ำกับเรื่อง", "Duplicate of"), ("มีเรื่องซ้ำ", "Has a duplicate")),
}
KIND_CHOICES = {LinkKind.RELATED: ("เกี่ยวข้องกัน", "Related"), LinkKind.DUPLICATE: ("เรื่องนี้ซ้ำกับเรื่องนั้น", "This case repeats it")}


def link_label(kind: str, *, made_here: bool, lang: str) -> str:
    pair = LINK_LABELS.get(kind)
    if pair is None:
        return kind
    th, en = pair[0] if made_here else pair[1]
    return th if lang == "th" else en


def link_kind(value) -> LinkKind:
    try:
        return LinkKind(str(value or "").strip())
    except ValueError:
        raise ValidationFailed([RuleError("Link: choose how the cases are linked.",
                                          "การเชื่อมโยง: กรุณาเลือกลักษณะการเชื่อมโยง",
                                          code="invalid_link_kind", field="kind")]) from None


def check_link(case_id: int, other_id: int, linked_ids: set[int], other_linked_ids: set[int] = frozenset(),
               other_code: str = "") -> None:
    """Refuses a link of a case to itself, a second link between the same two cases (either
    way), and more than MAX_LINKS_PER_CASE links on either case: a link shows on both."""
    if case_id == other_id:
        raise RuleError("A case cannot be linked to itself.", "เชื่อมโยงเรื่องกับตัวเองไม่ได้",
                        code="link_to_itself", field="code")
    if other_id in linked_ids:
        raise RuleError("These two cases are already linked.", "สองเรื่องนี้เชื่อมโยงกันอยู่แล้ว",
                        code="already_linked", field="code")
    if len(linked_ids) >= MAX_LINKS_PER_CASE:
        raise RuleError(f"A case can have at most {MAX_LINKS_PER_CASE} links.",
                        f"เรื่องหนึ่งเชื่อมโยงได้ไม่เกิน {MAX_LINKS_PER_CASE} เรื่อง", code="too_many_links", field="code")
    if len(other_linked_ids) >= MAX_LINKS_PER_CASE:
        raise RuleError(f"The case {other_code} already has the most links a case can have ({MAX_LINKS_PER_CASE}).",
                        f"เรื่อง {other_code} เชื่อมโยงครบ {MAX_LINKS_PER_CASE} เรื่องแล้ว ซึ่งเป็นจำนวนสูงสุด",
                        code="too_many_links", field="code")


def check_duplicate(case_id: int, originals_of_other: set[int], other_code: str = "") -> None:
    """Refuses making a case a duplicate of one that already repeats it, however many duplicates
    lie between (`originals_of_other`: every case the other one is, step by step, a duplicate
    of): A a duplicate of B, B of C and C of A would leave no case the original."""
    if case_id in originals_of_other:
        raise RuleError(f"This case cannot be a duplicate of {other_code}: {other_code} is already, through its "
                        "originals, a duplicate of this case.",
                        f"เรื่องนี้ซ้ำกับเรื่อง {other_code} ไม่ได้ เพราะเรื่อง {other_code} ซ้ำกับเรื่องนี้อยู่แล้ว "
                        "(ผ่านเรื่องที่เป็นต้นเรื่อง)", code="duplicate_loop", field="kind")


def link_note(value) -> str | None:
    if not is_text_value(value):
        raise ValidationFailed([RuleError("Link note: must be text.", "หมายเหตุการเชื่อมโยง: ต้องเป็นข้อความ",
                                          code="wrong_type", field="note")])
    text = " ".join(str(value or "").split())
    if len(text) > MAX_NOTE_CHARS:
        raise ValidationFailed([RuleError(f"Link note: at most {MAX_NOTE_CHARS} characters.",
                                          f"หมายเหตุการเชื่อมโยง: ไม่เกิน {MAX_NOTE_CHARS} ตัวอักษร",
                                          code="note_too_long", field="note")])
    return text or None
