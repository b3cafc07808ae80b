"""One signed POST to an endpoint, timed, never raising: the outcome is data."""

import http.client
import json
import select
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from core.signing import signature

from .addresses import connection_for
from .exceptions import WebhookError

HEAD_BYTES = 200
DRAIN_BYTES = 64 * 1024
# Headers a receiver reads: verify HMAC-SHA256(secret, timestamp + "." + body) like the
# payment callback, and keep the event id to drop duplicates.
TIMESTAMP_HEADER = "X-Xiaodian-Timestamp"
SIGNATURE_HEADER = "X-Xiaodian-Signature"
EVENT_ID_HEADER = "X-Xiaodian-Event-Id"
EVENT_TYPE_HEADER = "X-Xiaodian-Event"


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    latency_ms: int
    head: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and self.status_code is not None and 200 <= self.status_code < 300


def encode(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, cls=DjangoJSONEncoder).encode()


# Keep-alive: per process, one idle connection per checked address, reused while fresh
# and still open (a batch to one endpoint is one TCP/TLS handshake, not one per event).
IDLE_SECONDS = 4
_idle: dict[tuple, tuple[http.client.HTTPConnection, float]] = {}


def _dropped(connection: http.client.HTTPConnection) -> bool:
    # An idle socket that is readable has been closed (or spoken to) by the peer.
    return connection.sock is None or bool(select.select([connection.sock], [], [], 0)[0])


def _open(url: str, timeout: float) -> tuple[http.client.HTTPConnection, str, tuple]:
    connection, path = connection_for(url, timeout=timeout)  # checks the address each time
    key = (type(connection), connection.host, connection.port, connection._ip)
    idle = _idle.pop(key, None)
    if idle is not None:
        if time.monotonic() - idle[1] < IDLE_SECONDS and not _dropped(idle[0]):
            return idle[0], path, key
        idle[0].close()
    return connection, path, key


def post(*, url: str, secret: str, body: bytes, event_id: str, event_type: str) -> Outcome:
    """POST `body` signed with `secret`; good only on a 2xx within WEBHOOK_TIMEOUT_SECONDS
    (the whole exchange, not each read). Redirects are not followed (a 3xx fails)."""
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    connection = None
    keep = False
    try:
        connection, path, key = _open(url, timeout)
        timestamp = str(int(time.time()))
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "xiaodian-webhooks/1",
                TIMESTAMP_HEADER: timestamp,
                SIGNATURE_HEADER: signature(secret=secret, timestamp=timestamp, body=body),
                EVENT_ID_HEADER: event_id,
                EVENT_TYPE_HEADER: event_type,
            },
        )
        response = connection.getresponse()
        head = response.read(HEAD_BYTES).decode("utf-8", errors="replace")
        response.read(DRAIN_BYTES)  # the rest of a short answer, to reuse the connection
        keep = response.isclosed() and not response.will_close
    except WebhookError as exc:
        return Outcome(None, elapsed(), error=str(exc.message)[:200])
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(None, elapsed(), error=(f"{type(exc).__name__}: {exc}")[:200])
    finally:
        if keep:
            _idle[key] = (connection, time.monotonic())
        elif connection is not None:
            connection.close()
    latency = elapsed()
    if latency > timeout * 1000:
        return Outcome(
            response.status, latency, head, error=_("超时（超过 %(s)s 秒）") % {"s": timeout}
        )
    return Outcome(response.status, latency, head)
