"""Ship deadlines: when a paid order must ship (承诺发货时间), how much time is left, and
the late-shipment compensation at stake once it is overdue."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext as _

from products.models import ShipPromise

from .models import Order, OrderStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 当日发 means the same day only for orders paid before this hour; later ones go next day.
SAME_DAY_CUTOFF = time(16, 0)
DUE_SOON = timedelta(hours=6)
TO_SHIP_STATUSES = (OrderStatus.AWAITING_SHIPMENT, OrderStatus.PARTIALLY_SHIPPED)


def _end_of_day(day) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=SHANGHAI)


def promise_deadline(promise: int, paid_at: datetime) -> datetime:
    """The latest ship time one product's 发货时效 allows for an order paid at `paid_at`."""
    local = paid_at.astimezone(SHANGHAI)
    if promise == ShipPromise.SAME_DAY:
        day = local.date() if local.time() < SAME_DAY_CUTOFF else local.date() + timedelta(days=1)
        return _end_of_day(day)
    if promise == ShipPromise.NEXT_DAY:
        return _end_of_day(local.date() + timedelta(days=1))
    return paid_at + timedelta(hours=48)


def exp_ship_time(*, paid_at: datetime, ship_within_hours: int, promises) -> datetime:
    """The strictest of the shop's 承诺发货时效 and every product's own promise."""
    candidates = [paid_at + timedelta(hours=ship_within_hours)]
    candidates += [promise_deadline(p, paid_at) for p in promises if p is not None]
    return min(candidates)


def ship_remaining(order: Order, now=None) -> timedelta | None:
    """Time left until exp_ship_time (negative when overdue); None when nothing is owed."""
    if order.status not in TO_SHIP_STATUSES or order.exp_ship_time is None:
        return None
    return order.exp_ship_time - (now or timezone.now())


def ship_deadline_state(order: Order, now=None) -> str | None:
    """ "overdue" (已超时), "soon" (即将超时, under 6 h left), "ok", or None when not to ship."""
    remaining = ship_remaining(order, now)
    if remaining is None:
        return None
    if remaining <= timedelta(0):
        return "overdue"
    return "soon" if remaining < DUE_SOON else "ok"


def remaining_text(order: Order, now=None) -> str:
    """ "剩余 5 小时 12 分" or "已超时 3 小时 4 分"; empty when nothing is owed."""
    remaining = ship_remaining(order, now)
    if remaining is None:
        return ""
    minutes = int(abs(remaining).total_seconds() // 60)
    span = _("%(h)s 小时 %(m)s 分") % {"h": minutes // 60, "m": minutes % 60}
    if remaining <= timedelta(0):
        return _("已超时 %(span)s") % {"span": span}
    return _("剩余 %(span)s") % {"span": span}


def overdue_q(now=None) -> Q:
    """Orders still to ship whose promised ship time has passed (已超时)."""
    return Q(status__in=TO_SHIP_STATUSES, exp_ship_time__lte=now or timezone.now())


def due_soon_q(now=None) -> Q:
    """Orders still to ship with less than 6 hours left (即将超时)."""
    now = now or timezone.now()
    return Q(status__in=TO_SHIP_STATUSES, exp_ship_time__gt=now, exp_ship_time__lt=now + DUE_SOON)


def compensation_bounds() -> tuple[int, int, int]:
    """(share in basis points, minimum fen, maximum fen) of the late-shipment compensation."""
    return (
        settings.LATE_SHIPMENT_COMPENSATION_BP,
        settings.LATE_SHIPMENT_COMPENSATION_MIN_FEN,
        settings.LATE_SHIPMENT_COMPENSATION_MAX_FEN,
    )


def late_compensation_fen(paid_fen: int) -> int:
    """What an overdue order owes the buyer: a share of the paid amount, within bounds."""
    rate_bp, minimum, maximum = compensation_bounds()
    return min(max(paid_fen * rate_bp // 10000, minimum), maximum)


def late_compensation_expression():
    """late_compensation_fen in SQL, to Sum() over overdue orders (首页)."""
    rate_bp, minimum, maximum = compensation_bounds()
    return Least(Greatest(F("paid_fen") * rate_bp / 10000, Value(minimum)), Value(maximum))
