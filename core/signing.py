"""Signed webhooks (the payment callback, the tracking push): HMAC-SHA256 over
`timestamp + "." + raw body` with a shared secret, hex encoded; the sender puts the
timestamp (unix seconds) and the signature in headers.

The timestamp is inside the signature, so a captured request cannot be replayed once
it is stale, and the raw body is signed, so nothing is parsed before it is trusted.
"""

import hashlib
import hmac
import time

MAX_AGE_SECONDS = 5 * 60


def signature(*, secret: str, timestamp: str, body: bytes) -> str:
    """The hex signature a sender (or a test, or a development simulator) sends."""
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_valid(
    *,
    secret: str,
    timestamp: str | None,
    signature_hex: str | None,
    body: bytes,
    now: float | None = None,
    max_age: int = MAX_AGE_SECONDS,
) -> bool:
    """True when `signature_hex` signs timestamp + body with `secret` and the timestamp
    is within `max_age` seconds of now (either way: clocks drift). An empty secret
    refuses everything, so an unconfigured endpoint is closed, not open."""
    if not secret:
        return False
    try:
        sent = int(str(timestamp))
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - sent) > max_age:
        return False
    expected = signature(secret=secret, timestamp=str(sent), body=body)
    return hmac.compare_digest(expected, (signature_hex or "").strip().lower())
