"""Backups: how a backup is named, which old ones go, which unfinished ones are abandoned, and
whether one is whole."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

PREFIX = "rueang-"
_NAME = re.compile(r"^rueang-(\d{8}T\d{6}Z)$")
_PARTIAL = re.compile(r"^\.rueang-(\d{8}T\d{6}Z)\.partial$")
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite"}
UPLOADS_FILE = "uploads.tar.gz"
MANIFEST_FILE = "manifest.json"


def backup_name(moment: datetime) -> str:
    """rueang-20261124T073000Z: sorts by time, and says it is UTC."""
    return PREFIX + moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def partial_name(name: str) -> str:
    """.rueang-20261124T073000Z.partial: where a backup is built. Hidden, and not a backup name,
    so that neither a person nor the pruning takes it for a finished backup."""
    return f".{name}.partial"


def is_backup_name(name: str) -> bool:
    return _NAME.match(name) is not None


def is_partial_name(name: str) -> bool:
    return _PARTIAL.match(name) is not None


def backups_to_remove(names: list[str], keep: int) -> list[str]:
    """The backups beyond the `keep` newest (other names are never touched)."""
    if keep < 1:
        raise ValueError("keep at least one backup")
    ours = sorted((name for name in names if is_backup_name(name)), reverse=True)
    return sorted(ours[keep:])


def abandoned_partials(last_written: dict[str, datetime], now: datetime, quiet_for: timedelta) -> list[str]:
    """The unfinished backups (by name, with when anything in them was last written) that no run
    is building any more: those left by a run that was killed (SIGKILL, a power cut) before it
    could clean up.

    A run that is alive writes into its folder (the dump grows, the photos are packed) or waits
    on pg_dump, which it stops after its time-out; so a folder nothing has written to for longer
    than that time-out has no run behind it. A younger one may be a run going on right now next
    to this one (two timers, or a person beside the timer) and is left alone. Other names are
    never touched."""
    return sorted(name for name, moment in last_written.items()
                  if is_partial_name(name) and now - moment > quiet_for)


def unsafe_file_name(name: object) -> bool:
    """A name in a manifest that does not stay inside the backup's folder (a path, `..`), which
    `check` must not open: it would read, and checksum, whatever file the name points to."""
    return (not isinstance(name, str) or name in ("", ".", "..") or "/" in name or "\\" in name
            or "\0" in name or ".." in name)


def manifest_problems(manifest: object, digests: dict[str, str | None]) -> list[str]:
    """What is wrong with a backup, given its manifest and the SHA-256 of each file it lists as
    found now (None: missing). Empty when it is whole."""
    if not isinstance(manifest, dict):
        return ["the manifest is not a JSON object"]
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        return ["the manifest lists no files"]
    unsafe = sorted(repr(name) for name in files if unsafe_file_name(name))
    if unsafe:
        return [f"the manifest names files outside the backup: {', '.join(unsafe)}"]
    problems = []
    for name, expected in sorted(files.items()):
        found = digests.get(name)
        if found is None:
            problems.append(f"{name} is missing")
        elif found != expected:
            problems.append(f"{name} does not match its checksum")
    return problems
