"""Checking the sync settings administrators type in: the status map and connector settings.

Both are typed as JSON text on the agency screen; a mistake is refused with a message in Thai
and English and nothing is saved.
"""
from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

from app.domain.errors import RuleError
from app.domain.statuses import Status

MAX_EXTERNAL_STATUS_CHARS = 100
OUR_STATUSES = frozenset(s.value for s in Status)
MIN_SYNC_INTERVAL_MINUTES = 1
MAX_SYNC_INTERVAL_MINUTES = 24 * 60
# Settings that are secrets: shown masked, and a masked value sent back keeps the stored one.
SECRET_SETTINGS = frozenset({"token", "password", "api_key", "secret"})
MASK = "********"


def _json_object(text: str | None, field: str, label_en: str, label_th: str) -> dict | None:
    if text is None or not str(text).strip():
        return None
    try:
        value = json.loads(text)
    except (TypeError, ValueError) as error:
        # Where the parser stopped, in the reader's words (its own message is English).
        where_th = f" (บรรทัดที่ {error.lineno} ตำแหน่งที่ {error.colno})" if isinstance(error, json.JSONDecodeError) else ""
        raise RuleError(f"{label_en}: this is not valid JSON ({error}).",
                        f"{label_th}: ไม่ใช่ JSON ที่ถูกต้อง{where_th}", code="invalid_json", field=field) from None
    if not isinstance(value, dict):
        raise RuleError(f"{label_en} must be a JSON object, such as {{\"key\": \"value\"}}.",
                        f"{label_th}ต้องเป็นออบเจกต์ JSON เช่น {{\"key\": \"value\"}}",
                        code="not_an_object", field=field)
    return value


def parse_status_map(text: str | None) -> dict[str, str] | None:
    """{external status: our status} from JSON text; None when left empty.

    Every value must be one of our statuses (received, in_progress, ...); keys are the external
    system's status words, kept as typed but without surrounding spaces.
    """
    value = _json_object(text, "status_map", "The status map", "ตารางเทียบสถานะ")
    if value is None:
        return None
    known = ", ".join(s.value for s in Status)
    cleaned: dict[str, str] = {}
    for external, ours in value.items():
        key = str(external).strip()
        if not key or len(key) > MAX_EXTERNAL_STATUS_CHARS:
            raise RuleError(
                f"The status map has an empty or over-long external status ({external!r}).",
                f"ตารางเทียบสถานะมีสถานะภายนอกที่ว่างหรือยาวเกินไป ({external!r})",
                code="bad_external_status", field="status_map")
        if not isinstance(ours, str) or ours not in OUR_STATUSES:
            raise RuleError(
                f"The status map sends {key!r} to {ours!r}, which is not one of our statuses ({known}).",
                f"ตารางเทียบสถานะกำหนด {key!r} เป็น {ours!r} ซึ่งไม่ใช่สถานะของระบบ ({known})",
                code="unknown_status", field="status_map")
        if key in cleaned and cleaned[key] != ours:
            raise RuleError(f"The status map gives {key!r} twice with different statuses.",
                            f"ตารางเทียบสถานะกำหนด {key!r} ซ้ำโดยให้สถานะต่างกัน",
                            code="duplicate_external_status", field="status_map")
        cleaned[key] = ours
    return cleaned


# What each numeric setting may be: a timeout of 0 or less (or NaN) fails every request, and
# retries past a few hold the agency's lock while the backoff doubles. The REST connector's
# largest page is this page_size bound.
SETTING_BOUNDS = {"timeout": (0.1, 600.0), "backoff": (0.0, 60.0), "max_retries": (0, 10), "page_size": (1, 5000)}


def setting_out_of_bounds(key: str, value) -> tuple[float, float] | None:
    """The bounds `value` of setting `key` falls outside (a number it is not included), or None."""
    if key not in SETTING_BOUNDS:
        return None
    low, high = SETTING_BOUNDS[key]
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return low, high
    return None if low <= number <= high and not isinstance(value, bool) else (low, high)


# Query arguments that would carry a credential in a base URL.
_CREDENTIAL_ARGUMENTS = frozenset({"token", "access_token", "api_key", "apikey", "key", "password", "secret"})


def check_base_url(url) -> None:
    """An http(s) address with no credentials in it: a user and password before the host, or a
    token in the query, would be shown on the agency's page and kept in the settings history,
    where the token setting is masked. Credentials go in their own settings."""
    if not isinstance(url, str) or not url.strip():
        raise RuleError("The connector setting base_url must be an http or https address.",
                        "การตั้งค่าการเชื่อมต่อ base_url ต้องเป็นที่อยู่ http หรือ https", code="bad_setting",
                        field="connector_settings")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RuleError("The connector setting base_url must be an http or https address, such as "
                        "https://licences.diw.go.th/api.",
                        "การตั้งค่าการเชื่อมต่อ base_url ต้องเป็นที่อยู่ http หรือ https เช่น https://licences.diw.go.th/api",
                        code="bad_setting", field="connector_settings")
    arguments = {name.lower() for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if parts.username or parts.password or arguments & _CREDENTIAL_ARGUMENTS:
        raise RuleError("The connector setting base_url holds a credential (a user and password, or a token in "
                        "the query); give it in its own setting (token, username, password), which is kept masked.",
                        "การตั้งค่าการเชื่อมต่อ base_url มีข้อมูลลับอยู่ (ชื่อผู้ใช้และรหัสผ่าน หรือโทเค็นในที่อยู่) "
                        "กรุณาใส่ในการตั้งค่าของมันเอง (token, username, password) ซึ่งระบบเก็บแบบปิดบัง",
                        code="secret_in_url", field="connector_settings")


def parse_connector_settings(text: str | None, allowed_keys: list[str] | None = None) -> dict | None:
    """Connector settings from JSON text; None when left empty. With ``allowed_keys`` (the keys
    the chosen connector kind reads) an unknown key is refused rather than silently ignored."""
    value = _json_object(text, "connector_settings", "The connector settings", "การตั้งค่าการเชื่อมต่อ")
    if value is None:
        return None
    if allowed_keys is not None:
        unknown = sorted(set(value) - set(allowed_keys))
        if unknown:
            names = ", ".join(unknown)
            allowed = ", ".join(allowed_keys)
            raise RuleError(f"The connector settings have keys this kind does not read: {names} (it reads {allowed}).",
                            f"การตั้งค่าการเชื่อมต่อมีคีย์ที่ระบบประเภทนี้ไม่ใช้: {names} (ใช้ได้: {allowed})",
                            code="unknown_setting", field="connector_settings")
    if value.get("base_url") not in (None, ""):  # left empty: the kind's own address (Traffy Fondue's)
        check_base_url(value["base_url"])
    for key, setting in value.items():
        bounds = setting_out_of_bounds(key, setting)
        if bounds:
            raise RuleError(f"The connector setting {key} must be a number from {bounds[0]:g} to {bounds[1]:g}.",
                            f"การตั้งค่าการเชื่อมต่อ {key} ต้องเป็นตัวเลขตั้งแต่ {bounds[0]:g} ถึง {bounds[1]:g}",
                            code="bad_setting", field="connector_settings")
    return value


def check_sync_interval(minutes: int | None) -> int:
    if minutes is None or not MIN_SYNC_INTERVAL_MINUTES <= int(minutes) <= MAX_SYNC_INTERVAL_MINUTES:
        raise RuleError(
            f"The sync interval must be {MIN_SYNC_INTERVAL_MINUTES} to {MAX_SYNC_INTERVAL_MINUTES} minutes.",
            f"รอบการดึงสถานะต้องอยู่ระหว่าง {MIN_SYNC_INTERVAL_MINUTES} ถึง {MAX_SYNC_INTERVAL_MINUTES} นาที",
            code="bad_interval", field="sync_interval_minutes")
    return int(minutes)
