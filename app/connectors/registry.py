"""Which connector serves which kind of departmental system, chosen from configuration.

An agency's configuration names a kind (`"rest_json"`, `"traffy"`) and a dict of settings;
`build_connector(kind, settings)` turns them into a ready client. The kinds and their
settings are listed by `available_kinds()` so the admin form is built from here, and a new
kind is one `register()` call: nothing elsewhere branches on an agency or a kind.

Settings common to every kind: `base_url`, `token`, `timeout` (seconds), `page_size`,
`max_retries`, `backoff` (seconds before the first retry, doubled each time). Empty values
(None or "") mean "use the default". Keys a kind does not use are ignored, so one stored
settings dict may carry more than its kind needs.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.connectors.base import Connector, ConnectorConfigError
from app.connectors.rest_json import DEFAULT_PAGE_SIZE, RestJsonConnector
from app.connectors.traffy import DEFAULT_BASE_URL as TRAFFY_BASE_URL
from app.connectors.traffy import TraffyConnector
from app.domain.sync_settings import setting_out_of_bounds

COMMON_SETTINGS = ("base_url", "token", "timeout", "page_size", "max_retries", "backoff")

_INT_SETTINGS = {"page_size", "max_retries"}
_FLOAT_SETTINGS = {"timeout", "backoff"}


@dataclass(frozen=True)
class ConnectorKind:
    kind: str
    label_th: str
    label_en: str
    settings: tuple[str, ...]
    factory: Callable[..., Connector]
    defaults: dict


_KINDS: dict[str, ConnectorKind] = {}


def register(
    kind: str,
    label_th: str,
    label_en: str,
    factory: Callable[..., Connector],
    *,
    extra_settings: tuple[str, ...] = (),
    defaults: dict | None = None,
) -> None:
    """Make a kind available; its factory receives the cleaned settings as keyword arguments."""
    _KINDS[kind] = ConnectorKind(
        kind, label_th, label_en, COMMON_SETTINGS + tuple(extra_settings), factory, dict(defaults or {})
    )


def available_kinds() -> list[tuple[str, str, str, list[str]]]:
    """(kind, Thai label, English label, setting keys) for each registered kind."""
    return [(k.kind, k.label_th, k.label_en, list(k.settings)) for k in _KINDS.values()]


def build_connector(kind: str, settings: dict | None = None) -> Connector:
    try:
        spec = _KINDS[kind]
    except KeyError:
        known = ", ".join(sorted(_KINDS)) or "none"
        raise ConnectorConfigError(f"unknown connector kind {kind!r}; available kinds: {known}") from None
    cleaned = dict(spec.defaults)
    for key, value in (settings or {}).items():
        if key in spec.settings and value not in (None, ""):
            cleaned[key] = _coerce(kind, key, value)
    if not cleaned.get("base_url"):
        raise ConnectorConfigError(f"connector kind {kind!r} needs a base_url")
    try:
        return spec.factory(**cleaned)
    except ConnectorConfigError:
        raise
    except (TypeError, ValueError) as exc:
        raise ConnectorConfigError(f"cannot build a {kind!r} connector: {exc}") from exc


def _coerce(kind: str, key: str, value):
    try:
        if key in _INT_SETTINGS:
            value = int(value)
        elif key in _FLOAT_SETTINGS:
            value = float(value)
        else:
            return value
    except (TypeError, ValueError, OverflowError):
        raise ConnectorConfigError(f"setting {key!r} of connector kind {kind!r} is not a number: {value!r}") from None
    bounds = setting_out_of_bounds(key, value)
    if bounds:  # saved before the settings screen checked them
        raise ConnectorConfigError(
            f"setting {key!r} of connector kind {kind!r} must be from {bounds[0]:g} to {bounds[1]:g}: {value!r}")
    return value


def _rest_json(*, page_size: int = DEFAULT_PAGE_SIZE, **settings) -> Connector:
    return RestJsonConnector(page_size=page_size, **settings)


def _traffy(*, page_size: int | None = None, **settings) -> Connector:
    # Traffy's get-issues has no paging, so page_size has nothing to size.
    return TraffyConnector(**settings)


register("rest_json", "ระบบของหน่วยงาน (REST/JSON)", "Departmental system (REST/JSON)", _rest_json)
register(
    "traffy",
    "Traffy Fondue",
    "Traffy Fondue",
    _traffy,
    extra_settings=("org_id", "username", "password", "expand_timeline"),
    defaults={"base_url": TRAFFY_BASE_URL},
)
