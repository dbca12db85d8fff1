"""Wires the public side onto the app: status pages, complaint form, Open311, their settings, the
administrators' Open311 client screen and the staff view of photos."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, request
from flask_babel import lazy_gettext as _l

from app.domain import photos

# Settings of the public side, each overridable from the environment (README: the public side).
DEFAULTS = {
    # Per address. Complaints are rare for a real person and cheap to spam: keep them slow.
    "PUBLIC_COMPLAINT_RATE_LIMIT": "5 per minute;30 per hour;100 per day",
    # Every sending of the form, refused ones too (a citizen correcting mistakes sends a few).
    "PUBLIC_COMPLAINT_ATTEMPT_RATE_LIMIT": "20 per minute;120 per hour;400 per day",
    "OPEN311_POST_RATE_LIMIT": "60 per minute",
    "OPEN311_GET_RATE_LIMIT": "600 per minute",
    "OPEN311_JURISDICTION_ID": "industry.go.th",
}


def _settings(app: Flask) -> None:
    for name, default in DEFAULTS.items():
        app.config.setdefault(name, os.environ.get(name, default))
    from config import INSTANCE_DIR, env_int

    app.config.setdefault("PUBLIC_MAX_PHOTOS", env_int("PUBLIC_MAX_PHOTOS", photos.MAX_PHOTOS))
    app.config.setdefault("PUBLIC_MAX_PHOTO_BYTES", env_int("PUBLIC_MAX_PHOTO_BYTES", photos.MAX_PHOTO_BYTES, minimum=1))

    app.config.setdefault("UPLOAD_DIR", os.environ.get("UPLOAD_DIR", str(Path(INSTANCE_DIR) / "uploads")))
    proxies = env_int("RUEANG_PROXY_COUNT", 0)
    if proxies > 0:
        # Behind a reverse proxy the rate limits must count the client's address, not the proxy's.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


# Pages with no rate limit of their own, served at high rates: both limiters (ours and
# Flask-AppBuilder's login limiter) skip them outright instead of resolving empty limit sets.
UNLIMITED_ENDPOINTS = frozenset({"public.track", "static", "favicon"})


def _unlimited() -> bool:
    return request.endpoint in UNLIMITED_ENDPOINTS and request.method in ("GET", "HEAD")


def _skip_limits_on_status_pages(*limiters) -> None:
    for limiter in limiters:
        if limiter is not None and _unlimited not in getattr(limiter, "_request_filters", []):
            limiter.request_filter(_unlimited)


def register_public_side(app: Flask, appbuilder) -> None:
    from app.api.open311 import bp as open311_bp
    from app.views.case_photos import CasePhotoView, case_photos
    from app.views.open311_clients import Open311ClientView
    from app.views.public import bp as public_bp

    _settings(app)
    app.register_blueprint(public_bp)
    app.register_blueprint(open311_bp)
    appbuilder.add_view(Open311ClientView, "Open311 clients", icon="fa-plug", label=_l("Open311 clients"),
                        category="Administration")
    appbuilder.add_view_no_menu(CasePhotoView)
    app.jinja_env.globals["case_photos"] = case_photos
    from app.extensions import limiter

    _skip_limits_on_status_pages(limiter, getattr(appbuilder.sm, "limiter", None))
