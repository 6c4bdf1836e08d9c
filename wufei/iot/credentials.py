"""Device secrets: generated once, stored as a salted HMAC-SHA256, checked in constant time.

Why not Django's password hashers: they are deliberately slow (PBKDF2, ~100 ms), which guards a
human's weak password but would cap ingestion at a handful of messages per second per core. A
device secret is 32 random bytes (256 bits) from `secrets`, so brute force is hopeless anyway;
a keyed hash with a per-device salt (HMAC-SHA256(salt, secret)) keeps a stolen database from
revealing secrets while costing about a microsecond per check.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SCHEME = "hmac-sha256"


def secret_generate() -> str:
    return secrets.token_urlsafe(32)


def secret_hash(secret: str, *, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hmac.new(bytes.fromhex(salt), secret.encode(), hashlib.sha256).hexdigest()
    return f"{SCHEME}${salt}${digest}"


def secret_matches(secret: str, stored: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != SCHEME or not secret:
        return False
    expected = hmac.new(bytes.fromhex(salt), secret.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, digest)
