"""Secrets handed to people once and kept only as hashes: private case links, Open311 api keys.

The secrets are 256-bit random values, so a plain SHA-256 is enough to keep them safe at rest (a
slow password hash guards guessable passwords, which these are not) and lets the database find a
key by its hash with an ordinary unique index.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def matches(secret: str, stored_digest: str | None) -> bool:
    if not secret or not stored_digest:
        return False
    return hmac.compare_digest(digest(secret), stored_digest)
