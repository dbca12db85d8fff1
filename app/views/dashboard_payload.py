"""What the dashboard pages receive: the service's figures with labels in the reader's language
and, for staff, the case-list link behind every tile and bar (same filters, same count)."""
from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

from flask import url_for

from app.domain import dashboard as rules
from app.domain.geo import province_label
from app.domain.statuses import STATUS_LABELS, by_language, label
from app.i18n import format_date, format_datetime


class _ListLinks:
    """Case-list URLs sharing the dashboard's filters; the common part is encoded once."""

    def __init__(self, filters: rules.DashboardFilters):
        self.base = url_for("CaseView.list")
        self.common = urlencode(rules.list_args(filters, []))

    def __call__(self, conditions: list[rules.Condition]) -> str:
        extra = urlencode([pair for condition in conditions for pair in condition.args()])
        query = "&".join(part for part in (self.common, extra) if part)
        return f"{self.base}?{query}" if query else self.base


def _agency_label(agency: dict, language: str) -> str:
    if language == "th":
        return agency.get("short_th") or agency["name_th"]
    return agency["code"]


def _week_label(week: str, language: str) -> str:
    return format_date(date.fromisoformat(week), language)


def _common(raw: dict, language: str) -> dict:
    return {
        "generated_at": raw["generated_at"],
        "generated_label": format_datetime(datetime.fromisoformat(raw["generated_at"]), language),
        "tiles": dict(raw["tiles"]),
        "by_status": [{**row, "label": label(STATUS_LABELS, row["status"], language)} for row in raw["by_status"]],
        "by_agency": [{**row, "label": _agency_label(row, language)} for row in raw["by_agency"]],
        "weekly": [{**row, "label": _week_label(row["week"], language)} for row in raw["weekly"]],
        "top_provinces": [dict(row, label=province_label(row["province"], language)) for row in raw["top_provinces"]],
    }


def present(raw: dict, filters: rules.DashboardFilters, language: str, *, drill: bool) -> dict:
    payload = _common(raw, language)
    payload["filters"] = raw["filters"]
    payload["by_type"] = [
        {**row, "label": row["name_th"] if language == "th" else row["name_en"]} for row in raw["by_type"]
    ]
    if not drill:
        return payload
    periods = rules.periods_at(datetime.fromisoformat(raw["generated_at"]))
    tiles = rules.tile_conditions(periods)
    link = _ListLinks(filters)
    payload["links"] = {name: link(conditions) for name, conditions in tiles.items()}
    payload["links"]["total"] = link([])
    # Shares and medians are taken over the closed cases: their link lists those.
    for name in ("on_time_share", "median_close_days"):
        payload["links"][name] = payload["links"]["closed"]
    payload["links"]["satisfaction"] = link([rules.rated()])
    for row in payload["by_status"]:
        row["href"] = link([rules.text_equal("status", row["status"])])
    for row in payload["by_type"]:
        row["href"] = link([rules.relation("case_type", row["case_type_id"])])
    closed = rules.text_in("status", rules.CLOSED_LIST)
    for row in payload["by_agency"]:
        agency = rules.relation("agency", row["agency_id"])
        row["href"] = link([agency])
        row["closed_href"] = link([agency, closed])
        row["rated_href"] = link([agency, rules.rated()])
    for index, row in enumerate(payload["weekly"]):
        week = rules.week_conditions(periods, index)
        row["new_href"] = link(week["new"])
        row["closed_href"] = link(week["closed"])
    for row in payload["top_provinces"]:
        row["href"] = link([rules.text_equal("province", row["province"])])
    return payload


def present_public(raw: dict, language: str) -> dict:
    return _common(raw, language)


# ---- the first paint: the figures as the page is served, before (or without) its script --------
# The same tiles and tables static/js/dashboard.js draws from the payload, so that a browser
# without JavaScript, or one whose script failed, still shows every figure (the charts' figures in
# their tables); the script takes over from them and keeps them current.

_SHOWN_TILES = ("total", "open", "new_today", "new_week", "closed_month", "breached", "at_risk")
# Each chart's table: its rows, and per column the value (a key or a function), the key of its
# link and the label's text key. As CHARTS in dashboard.js.
_TABLES = {
    "by_status": ("by_status", "status", [("count", "href", "cases")]),
    "by_type": ("by_type", "case_type", [("count", "href", "cases")]),
    "by_agency": ("by_agency", "agency", [("count", "href", "cases")]),
    "weekly": ("weekly", "week", [("new", "new_href", "new"), ("closed", "closed_href", "closed")]),
    "on_time_by_agency": ("by_agency", "agency", [
        (lambda row: None if row["on_time_share"] is None else round(row["on_time_share"] * 1000) / 10,
         "closed_href", "on_time_percent")]),
    "top_provinces": ("top_provinces", "province", [("count", "href", "cases")]),
    "satisfaction_by_agency": ("by_agency", "agency", [("satisfaction", "rated_href", "average_score")]),
}


def _number(value, t: dict) -> str:
    if value is None:
        return t["none"]
    return format(value, ",") if isinstance(value, int) else format(value, ",g")


def first_paint(payload: dict, language: str) -> dict:
    """Tiles as (figure, note, link) and each chart's table as its headings and rows of
    (label, [(figure, link)]); links only where the payload has them (staff pages)."""
    t = texts(language)
    tiles, links = payload["tiles"], payload.get("links", {})
    shown = {name: (_number(tiles.get(name), t), "", links.get(name)) for name in _SHOWN_TILES}
    share = tiles.get("on_time_share")
    shown["on_time_share"] = (t["none"] if share is None else f"{round(share * 1000) / 10:,g}%",
                              f"{_number(tiles.get('on_time'), t)} / {_number(tiles.get('closed'), t)} {t['of_closed']}",
                              links.get("on_time_share"))
    shown["median_close_days"] = (_number(tiles.get("median_close_days"), t), t["days"],
                                  links.get("median_close_days"))
    score = tiles.get("satisfaction")
    shown["satisfaction"] = (t["none"] if score is None else f"{_number(score, t)} / 5",
                             f"{_number(tiles.get('ratings'), t)} {t['ratings']}", links.get("satisfaction"))
    tables = {}
    for name, (rows_key, heading, columns) in _TABLES.items():
        rows = []
        for row in payload.get(rows_key, []):
            cells = []
            for value, link, _ in columns:
                figure = value(row) if callable(value) else row.get(value)
                cells.append((_number(figure, t), row.get(link) if figure is not None else None))
            rows.append((row["label"], cells))
        tables[name] = {"headings": [t[heading], *(t[label_key] for _, _, label_key in columns)], "rows": rows}
    return {"tiles": shown, "tables": tables, "updated": payload["generated_label"],
            "updated_at": payload["generated_at"]}


# Page text in both languages (th, en), kept beside the payload it labels.
TEXT = {
    "agency_heading": ("แดชบอร์ดหน่วยงาน", "Agency dashboard"),
    "ministry_heading": ("แดชบอร์ดระดับกระทรวง", "Ministry dashboard"),
    "every_agency": ("ทุกหน่วยงาน", "every agency"),
    "public_heading": ("สถิติเรื่องร้องเรียนและคำขอ กระทรวงอุตสาหกรรม", "Complaints and requests: Ministry of Industry statistics"),
    "public_intro": ("ตัวเลขรวมทุกหน่วยงาน ปรับปรุงอัตโนมัติ ไม่มีข้อมูลส่วนบุคคล",
                     "Figures for every agency, updated on their own; no personal data."),
    "open": ("เรื่องค้างดำเนินการ", "Open cases"),
    "new_today": ("เรื่องใหม่วันนี้", "New today"),
    "new_week": ("เรื่องใหม่สัปดาห์นี้", "New this week"),
    "closed_month": ("ปิดเรื่องเดือนนี้", "Closed this month"),
    "on_time_share": ("ปิดทันกำหนด", "Closed on time"),
    "median_close_days": ("มัธยฐานวันปิดเรื่อง", "Median days to close"),
    "breached": ("เกินกำหนด", "Breached now"),
    "at_risk": ("ใกล้ครบกำหนด", "At risk"),
    "total": ("เรื่องทั้งหมด", "All cases"),
    "satisfaction": ("ความพึงพอใจเฉลี่ย", "Average satisfaction"),
    "by_status": ("เรื่องตามสถานะ", "Cases by status"),
    "by_type": ("เรื่องตามประเภท", "Cases by type"),
    "by_agency": ("เรื่องตามหน่วยงาน", "Cases by agency"),
    "weekly": ("เรื่องใหม่และปิดเรื่องรายสัปดาห์ (12 เดือน)", "New and closed per week (12 months)"),
    "new": ("เรื่องใหม่", "New"),
    "closed": ("ปิดเรื่อง", "Closed"),
    "on_time_by_agency": ("สัดส่วนปิดทันกำหนดตามหน่วยงาน (%)", "Closed on time by agency (%)"),
    "top_provinces": ("15 จังหวัดที่มีเรื่องมากที่สุด", "The 15 provinces with most cases"),
    "satisfaction_by_agency": ("ความพึงพอใจเฉลี่ยตามหน่วยงาน (1–5)", "Average satisfaction by agency (1–5)"),
    "days": ("วัน", "days"),
    "of_closed": ("ของเรื่องที่ปิดแล้ว", "of closed cases"),
    "ratings": ("คะแนน", "ratings"),
    "last_updated": ("ปรับปรุงล่าสุด", "Last updated"),
    "updating": ("กำลังปรับปรุง…", "Updating…"),
    "offline": ("เชื่อมต่อไม่ได้ จะลองใหม่", "Could not reach the server; will try again"),
    "refused": ("เซิร์ฟเวอร์ไม่ส่งตัวเลขตามคำขอนี้", "The server turned down this request for figures"),
    "filters": ("ตัวกรอง", "Filters"),
    "date_from": ("ยื่นตั้งแต่วันที่", "Submitted from"),
    "date_to": ("ถึงวันที่", "to"),
    "agency": ("หน่วยงาน", "Agency"),
    "kind": ("ลักษณะเรื่อง", "Kind"),
    "case_type": ("ประเภทเรื่อง", "Case type"),
    "all": ("ทั้งหมด", "All"),
    "apply": ("แสดง", "Apply"),
    "clear_filters": ("ล้างตัวกรอง", "Clear"),
    "click_hint": ("คลิกตัวเลขหรือแท่งกราฟเพื่อดูรายการเรื่อง", "Click a figure or a bar to open the matching cases"),
    "none": ("—", "—"),
    # Each chart's figures as a table, for screen readers and keyboards (and anyone who wants the numbers).
    "show_table": ("ดูตัวเลขเป็นตาราง", "Show the figures as a table"),
    "status": ("สถานะ", "Status"),
    "cases": ("จำนวนเรื่อง", "Cases"),
    "week": ("สัปดาห์เริ่มวันที่", "Week starting"),
    "province": ("จังหวัด", "Province"),
    "on_time_percent": ("ปิดทันกำหนด (%)", "Closed on time (%)"),
    "average_score": ("คะแนนเฉลี่ย (1–5)", "Average score (1–5)"),
}


_BY_LANGUAGE = by_language(TEXT)


def texts(language: str) -> dict[str, str]:
    return _BY_LANGUAGE["th" if language == "th" else "en"]
