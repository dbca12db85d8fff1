"""Work a screen starts and does not wait for: an import's check and write, a sync run asked for
by an administrator. Each runs in a thread of the web process with its own application context,
and so its own database session; it reports through what it writes (an upload's status file, a
job run record), never through the request that started it."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def run_in_background(app, work: Callable[..., Any], *args, name: str = "background") -> threading.Thread:
    """Run work(*args) in a thread with its own application context (and so its own session)."""

    def target():
        with app.app_context():
            try:
                work(*args)
            finally:
                from app.extensions import db

                db.session.remove()

    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.start()
    return thread
