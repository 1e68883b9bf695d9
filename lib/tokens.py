"""Secrets handed to people (sign-in links, device pairing, sessions) are stored only as their hash."""

from __future__ import annotations

import hashlib


def hash_token(token: str) -> str:
    """SHA-256 hex of a random token: enough for high-entropy secrets (not for passwords)."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_email(email: str | None) -> str:
    """The form an email address is stored and compared in: trimmed, lower case."""
    return (email or "").strip().lower()
