"""What a job run's record says, in its reader's language. Pure: no Flask or database.

A run record keeps its reason or note in English: the command line, the logs and other tools read
it as it is. The job runs screen shows it to a Thai reader in Thai: the fixed phrases the jobs
write are translated here, and the technical detail between them (a departmental system's or the
database's own words) is shown as it came. A sync run's note is worded again from the counts in
its details.
"""
from __future__ import annotations

from collections.abc import Mapping

from app.domain.statuses import SLA_FLAG_LABELS, YES_NO_LABELS, label

# What each job does, for the screens; the job's own name (as `flask jobs run` takes it) follows.
JOB_LABELS = {
    "sync-status": ("ดึงสถานะจากระบบงานของหน่วยงาน", "Status sync from departmental systems"),
    "sla-flags": ("คำนวณกำหนดเสร็จและสถานะตามกำหนดเวลา", "SLA due dates and flags"),
    "dashboard-summaries": ("ปรับตัวเลขแดชบอร์ด", "Dashboard figures"),
    "purge-work-files": ("ลบไฟล์นำเข้าและส่งออกที่หมดอายุ", "Expired import and export files removed"),
}

NOTHING_APPLIED = "Nothing of this run was applied; the next run reads the same window again."
SKIPPED_REASON = "Another run of this job holds its lock (it is running elsewhere); this run did nothing."
INTERRUPTED_REASON = "Interrupted: the process running it stopped before it could record an end."
RUN_FAILED = "The run failed"

# The first words of a failed sync run's reason, by kind of failure, with their Thai.
SYNC_FAILURE_HEADINGS = {
    "config": ("The connector settings cannot work", "การตั้งค่าการเชื่อมต่อใช้งานไม่ได้"),
    "status_map": ("The agency's status map cannot be used", "ตารางเทียบสถานะของหน่วยงานใช้งานไม่ได้"),
    "auth": ("The departmental system refused our credentials", "ระบบงานของหน่วยงานไม่ยอมรับรหัสเข้าใช้ของเรา"),
    "unavailable": ("The departmental system did not answer", "ระบบงานของหน่วยงานไม่ตอบ"),
    "protocol": ("The departmental system sent a broken answer", "ระบบงานของหน่วยงานส่งคำตอบที่อ่านไม่ได้"),
    "remote": ("The departmental system refused the request", "ระบบงานของหน่วยงานปฏิเสธคำขอ"),
    "connector": ("The departmental system failed", "ระบบงานของหน่วยงานขัดข้อง"),
    "changed": ("Cases changed while the run applied updates to them",
                "มีผู้แก้ไขเรื่องระหว่างที่รอบนี้กำลังบันทึกความคืบหน้า"),
    "database": ("The database failed during the run", "ฐานข้อมูลขัดข้องระหว่างการทำงาน"),
    "other": (RUN_FAILED, "การทำงานรอบนี้ล้มเหลว"),
}

_WHOLE = {
    SKIPPED_REASON: "มีรอบอื่นของงานนี้ถือล็อกอยู่ (กำลังทำงานที่อื่น) รอบนี้จึงไม่ได้ทำอะไร",
    INTERRUPTED_REASON: "หยุดกลางคัน: กระบวนการที่ทำงานรอบนี้หยุดไปก่อนบันทึกผลได้",
}
_ENDINGS = {NOTHING_APPLIED: "ไม่ได้บันทึกสิ่งใดจากรอบนี้ รอบถัดไปจะอ่านช่วงเวลาเดิมอีกครั้ง"}


def job_label(job: str, lang: str) -> str:
    """'Status sync from departmental systems (sync-status)'; a job with no label by its name."""
    return f"{label(JOB_LABELS, job, lang)} ({job})" if job in JOB_LABELS else job


# A sync run's note: the counts every run has, then a part for each kind of problem it met.
_SYNC_NOTE = ("{agency}: {fetched} update{fetched_s} read, {events} new event{events_s}, {moves} status change{moves_s}",
              "{agency}: อ่านความคืบหน้า {fetched:,} รายการ บันทึกเหตุการณ์ใหม่ {events:,} รายการ เปลี่ยนสถานะ {moves:,} ครั้ง")
_SYNC_NOTE_PARTS = (  # (detail, English, Thai): the part is there when the detail is not zero or empty
    ("unknown_refs", ", {unknown_refs} for unknown references", ", {unknown_refs:,} รายการอ้างถึงเลขอ้างอิงที่ไม่มีในระบบ"),
    ("unmapped", ", {unmapped} with unknown statuses ({unknown_statuses})",
     ", {unmapped:,} รายการมีสถานะที่ตารางเทียบไม่รู้จัก ({unknown_statuses})"),
    ("future", ", {future} dated in the future (left for a run after their time)",
     ", {future:,} รายการลงเวลาล่วงหน้า (รอใช้เมื่อถึงเวลานั้น)"),
    ("remapped", "; read back to apply newly mapped statuses ({remapped})",
     "; อ่านย้อนหลังเพื่อใช้สถานะที่เพิ่งเพิ่มในตารางเทียบ ({remapped})"),
)


def sync_summary(details: Mapping, lang: str = "en") -> str:
    """A sync run's note from its counts (app.services.sync_status.SyncReport.as_dict())."""
    thai = lang == "th"
    values = {"agency": details.get("agency", ""), "fetched": details.get("fetched", 0),
              "events": details.get("events_written", 0), "moves": details.get("status_changes", 0),
              "unknown_refs": details.get("unknown_refs", 0), "unmapped": details.get("unmapped", 0),
              "unknown_statuses": ", ".join(details.get("unknown_statuses") or ()),
              "future": details.get("future", 0),
              "remapped": ", ".join(details.get("remapped") or ())}
    for count in ("fetched", "events", "moves"):  # "1 status change", "2 status changes"
        values[f"{count}_s"] = "" if values[count] == 1 else "s"
    text = _SYNC_NOTE[thai].format(**values)
    for key, english, in_thai in _SYNC_NOTE_PARTS:
        if values[key]:
            text += (in_thai if thai else english).format(**values)
    return text


# The details a run writes as times (ISO text in its JSON), which screens show as times.
TIME_DETAILS = ("since", "cursor_before", "cursor_after")
# The dates a job wrote as ISO text inside a group of details: {group key: its date keys}.
DATE_DETAILS = {"calendar": ("first", "last")}
# The run record's details, by key, as a reader sees them (the keys three jobs write).
DETAIL_LABELS = {
    "agency": ("หน่วยงาน", "Agency"),
    "connector_kind": ("ประเภทระบบงาน", "System kind"),
    "catch_up": ("รอบอ่านย้อนหลังประจำคืน", "Nightly catch-up"),
    "since": ("อ่านความคืบหน้าตั้งแต่", "Updates read from"),
    "cursor_before": ("อ่านถึงก่อนรอบนี้", "Applied up to, before"),
    "cursor_after": ("อ่านถึงหลังรอบนี้", "Applied up to, after"),
    "fetched": ("ความคืบหน้าที่อ่าน", "Updates read"),
    "batches": ("ชุดที่บันทึก", "Batches written"),
    "events_written": ("เหตุการณ์ใหม่", "New events"),
    "status_changes": ("การเปลี่ยนสถานะ", "Status changes"),
    "cases_updated": ("เรื่องที่ปรับปรุง", "Cases updated"),
    "stale": ("ความคืบหน้าที่เก่ากว่าที่มีอยู่", "Older than what was held"),
    "repeated": ("ความคืบหน้าซ้ำ", "Repeated updates"),
    "future": ("ความคืบหน้าที่ลงเวลาล่วงหน้า (รอถึงเวลา)", "Dated in the future (left for later)"),
    "unknown_refs": ("อ้างถึงเลขอ้างอิงที่ไม่มีในระบบ", "For unknown references"),
    "unknown_ref_examples": ("ตัวอย่างเลขอ้างอิงที่ไม่มีในระบบ", "Unknown references, for example"),
    "unmapped": ("สถานะที่ตารางเทียบไม่รู้จัก", "With unknown statuses"),
    "unknown_statuses": ("สถานะที่ไม่รู้จัก", "Unknown statuses"),
    "remapped": ("สถานะที่เพิ่งเพิ่มในตารางเทียบ", "Newly mapped statuses"),
    "seconds": ("เวลาที่ใช้ (วินาที)", "Seconds"),
    "feed_wait_seconds": ("เวลารอระบบงาน (วินาที)", "Seconds waiting for the system"),
    "apply_seconds": ("เวลาบันทึก (วินาที)", "Seconds applying"),
    "flags": ("เรื่องที่เปิดอยู่ ตามสถานะกำหนดเวลา", "Open cases by SLA flag"),
    "calendar": ("ปฏิทินวันทำการ", "Working-day calendar"),
    "first": ("ตั้งแต่", "From"),
    "last": ("ถึง", "To"),
    "rebuilt": ("สร้างใหม่", "Rebuilt"),
    "recounted": ("เรื่องที่นับวันทำการที่พักไว้ใหม่", "Cases whose paused days were counted again"),
    "cells": ("ช่องตัวเลขที่คำนวณใหม่", "Cells recomputed"),
    "pending": ("ช่องที่ยังรอ", "Cells still waiting"),
    "skipped": ("ข้าม (มีรอบอื่นทำอยู่)", "Skipped (another run was at it)"),
    "uploads_removed": ("ไฟล์นำเข้าที่ลบ", "Uploads removed"),
    "exports_removed": ("ไฟล์ส่งออกที่ลบ", "Exports removed"),
    **{str(flag): labels for flag, labels in SLA_FLAG_LABELS.items()},
    "none": ("ยังไม่คำนวณ", "Not computed yet"),
}


def detail_lines(details: Mapping | None, lang: str) -> list[tuple[str, object]]:
    """(label, value) for each detail, in the reader's language: lists joined, a nested group
    worded the same way on one line, yes or no for true or false, a dash for nothing. Values that
    are neither (counts, times as ISO text) are left for the screen to format; an unknown key is
    shown by its name."""

    def value(item: object) -> object:
        if item is None or item == [] or item == {}:
            return "—"
        if isinstance(item, bool):
            return label(YES_NO_LABELS, item, lang)
        if isinstance(item, (list, tuple)):
            return ", ".join(str(value(part)) for part in item)
        if isinstance(item, Mapping):
            return ", ".join(f"{label(DETAIL_LABELS, str(key), lang)}: {value(part)}" for key, part in item.items())
        return item

    return [(label(DETAIL_LABELS, str(key), lang), value(item)) for key, item in (details or {}).items()]


def shown(job: str, message: str | None, details: Mapping | None, lang: str) -> str:
    """The run's reason or note as its reader sees it."""
    if not message:
        return ""
    if lang != "th":
        return message
    if job == "sync-status" and details and message == sync_summary(details, "en"):
        return sync_summary(details, "th")
    if message in _WHOLE:
        return _WHOLE[message]
    for english, thai in SYNC_FAILURE_HEADINGS.values():
        if message.startswith(english + ":"):
            message = thai + message[len(english):]
            break
    for english, thai in _ENDINGS.items():
        if message.endswith(english):
            message = message[: -len(english)] + thai
    return message
