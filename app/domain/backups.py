"""Backups: how a backup is named, which old ones go, and whether one is whole."""
from __future__ import annotations

import re
from datetime import datetime, timezone

PREFIX = "rueang-"
_NAME = re.compile(r"^rueang-(\d{8}T\d{6}Z)$")
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite"}
UPLOADS_FILE = "uploads.tar.gz"
MANIFEST_FILE = "manifest.json"


def backup_name(moment: datetime) -> str:
    """rueang-20261124T073000Z: sorts by time, and says it is UTC."""
    return PREFIX + moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def is_backup_name(name: str) -> bool:
    return _NAME.match(name) is not None


def backups_to_remove(names: list[str], keep: int) -> list[str]:
    """The backups beyond the `keep` newest (other names are never touched)."""
    if keep < 1:
        raise ValueError("keep at least one backup")
    ours = sorted((name for name in names if is_backup_name(name)), reverse=True)
    return sorted(ours[keep:])


def manifest_problems(manifest: dict, digests: dict[str, str | None]) -> list[str]:
    """What is wrong with a backup, given its manifest and the SHA-256 of each file it lists as
    found now (None: missing). Empty when it is whole."""
    problems = []
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        return ["the manifest lists no files"]
    for name, expected in sorted(files.items()):
        found = digests.get(name)
        if found is None:
            problems.append(f"{name} is missing")
        elif found != expected:
            problems.append(f"{name} does not match its checksum")
    return problems
