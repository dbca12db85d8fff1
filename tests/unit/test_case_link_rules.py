"""Linked cases: what a link may join and how it reads from either side."""
from __future__ import annotations

import pytest

from app.domain.case_links import MAX_LINKS_PER_CASE, MAX_NOTE_CHARS, check_link, link_kind, link_label, link_note
from app.domain.case_rules import ValidationFailed
from app.domain.errors import RuleError


@pytest.mark.parametrize("case_id, other_id, linked, code", [
    (1, 1, set(), "link_to_itself"),
    (1, 2, {2}, "already_linked"),
    (1, 3, set(range(100, 100 + MAX_LINKS_PER_CASE)), "too_many_links"),
])
def test_links_refused(case_id, other_id, linked, code):
    with pytest.raises(RuleError) as refused:
        check_link(case_id, other_id, linked)
    assert refused.value.code == code and refused.value.message_th and refused.value.field == "code"


@pytest.mark.parametrize("linked", [set(), {5, 6}, set(range(100, 99 + MAX_LINKS_PER_CASE))])
def test_links_allowed(linked):
    check_link(1, 2, linked)
    check_link(1, 2, set(), linked, "DIW-2569-000002")


def test_the_other_case_at_its_limit_is_refused_too():
    """A link shows on both cases: another agency's cases cannot push one past the limit, and
    leave its own staff unable to link it."""
    with pytest.raises(RuleError) as refused:
        check_link(1, 2, set(), set(range(100, 100 + MAX_LINKS_PER_CASE)), "DIW-2569-000002")
    assert refused.value.code == "too_many_links" and "DIW-2569-000002" in refused.value.message_en
    assert "DIW-2569-000002" in refused.value.message_th


@pytest.mark.parametrize("kind, made_here, lang, text", [
    ("related", True, "en", "Related to"),
    ("related", False, "th", "เกี่ยวข้องกับ"),
    ("duplicate", True, "en", "Duplicate of"),
    ("duplicate", False, "en", "Has a duplicate"),
    ("duplicate", True, "th", "ซ้ำกับเรื่อง"),
])
def test_a_link_reads_from_either_side(kind, made_here, lang, text):
    assert link_label(kind, made_here=made_here, lang=lang) == text


@pytest.mark.parametrize("value, ok", [("related", True), (" duplicate ", True), ("", False), ("merged", False),
                                       (None, False)])
def test_link_kinds(value, ok):
    if ok:
        assert link_kind(value) == value.strip()
    else:
        with pytest.raises(ValidationFailed) as refused:
            link_kind(value)
        assert [error.field for error in refused.value.errors] == ["kind"]


def test_link_notes_are_tidied_and_bounded():
    assert link_note("  same  factory\n") == "same factory"
    assert link_note("   ") is None
    with pytest.raises(ValidationFailed) as refused:
        link_note("x" * (MAX_NOTE_CHARS + 1))
    assert [error.field for error in refused.value.errors] == ["note"]


def test_a_case_is_not_made_a_duplicate_of_one_that_already_repeats_it():
    from app.domain.case_links import check_duplicate

    check_duplicate(1, {2, 3}, "DIW-2569-000002")  # 2 repeats 3: 1 may repeat 2
    with pytest.raises(RuleError) as info:
        check_duplicate(1, {3, 1}, "DIW-2569-000002")
    assert info.value.code == "duplicate_loop" and "DIW-2569-000002" in info.value.message_th
