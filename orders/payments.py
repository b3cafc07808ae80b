"""The payment provider's callback: signature check, then orders.services.order_pay.

The provider signs `timestamp + "." + raw body` with HMAC-SHA256 and the shared secret
(settings.PAYMENT_PROVIDER_SECRET), sending the timestamp in X-Pay-Timestamp and the
hex signature in X-Pay-Signature. A callback older than five minutes, or badly signed,
changes nothing. The development simulator signs and feeds its callback through the
very same `payment_callback_handle`.
"""

import json
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from core import signing

from .exceptions import PaymentRejected
from .models import Order, Payment, PayMethod
from .services import order_pay

logger = logging.getLogger("orders.payments")

SIMULATOR = "simulator"


@dataclass(frozen=True)
class CallbackResult:
    status: int  # the HTTP status to answer the provider with
    message: str


def payment_signature(*, timestamp: str, body: bytes) -> str:
    """What the provider (or the development simulator) sends for this body."""
    return signing.signature(
        secret=settings.PAYMENT_PROVIDER_SECRET, timestamp=timestamp, body=body
    )


def payment_signature_valid(*, timestamp: str, signature: str, body: bytes, now=None) -> bool:
    """True when the callback is fresh (± five minutes) and signed with our secret."""
    if not settings.PAYMENT_PROVIDER_SECRET:
        logger.error("payment callback refused: PAYMENT_PROVIDER_SECRET is not set")
        return False
    return signing.signature_valid(
        secret=settings.PAYMENT_PROVIDER_SECRET,
        timestamp=timestamp,
        signature_hex=signature,
        body=body,
        now=now,
    )


def _parse(body: bytes) -> dict:
    data = json.loads(body.decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("body is not an object")
    parsed = {
        "payment_id": str(data["payment_id"]),
        "order_no": str(data["order_no"]),
        "shop": str(data["shop"]),
        "amount_fen": int(data["amount_fen"]),
        "pay_method": int(data["pay_method"]),
        "paid_at": parse_datetime(str(data["paid_at"])),
        "provider": str(data.get("provider") or "provider")[:20],
    }
    if parsed["paid_at"] is None or timezone.is_naive(parsed["paid_at"]):
        raise ValueError("paid_at is not an aware ISO 8601 time")
    return parsed


def payment_callback_handle(
    *, body: bytes, timestamp: str | None, signature: str | None, now=None
) -> CallbackResult:
    """Verify and apply one callback; the answer for the provider. Nothing is written
    unless the signature holds; a payment id seen before answers OK and changes nothing."""
    if not payment_signature_valid(
        timestamp=timestamp or "", signature=signature or "", body=body, now=now
    ):
        logger.warning("payment callback refused: bad or stale signature")
        return CallbackResult(401, "invalid signature")
    try:
        data = _parse(body)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        logger.warning("payment callback refused: unreadable body (%s)", exc)
        return CallbackResult(400, "unreadable body")
    order = Order.objects.filter(shop__slug=data["shop"], order_no=data["order_no"]).first()
    if order is None:
        logger.warning("payment callback for unknown order %s/%s", data["shop"], data["order_no"])
        return CallbackResult(404, "unknown order")
    replay = Payment.objects.filter(payment_id=data["payment_id"], order=order).exists()
    try:
        order_pay(
            order_id=order.pk,
            payment_id=data["payment_id"],
            amount_fen=data["amount_fen"],
            pay_method=data["pay_method"],
            provider=data["provider"],
            paid_at=data["paid_at"],
        )
    except PaymentRejected as exc:
        return CallbackResult(400, str(exc.message))
    return CallbackResult(200, "duplicate" if replay else "ok")


def payment_simulate(*, order: Order, pay_method: int) -> CallbackResult:
    """The development provider: pay `order` in full by signing and handling a callback
    exactly as a real one would arrive."""
    if not settings.PAYMENT_SIMULATOR_ENABLED:
        raise PaymentRejected(_("模拟支付未开启。"))
    if pay_method not in PayMethod.values:
        raise PaymentRejected(_("请选择支付方式。"))
    body = json.dumps(
        {
            "payment_id": f"SIM{secrets.token_hex(10).upper()}",
            "order_no": order.order_no,
            "shop": order.shop.slug,
            "amount_fen": order.paid_fen,
            "pay_method": pay_method,
            "paid_at": datetime.now(tz=timezone.get_current_timezone()).isoformat(),
            "provider": SIMULATOR,
        }
    ).encode()
    timestamp = str(int(time.time()))
    return payment_callback_handle(
        body=body, timestamp=timestamp, signature=payment_signature(timestamp=timestamp, body=body)
    )
