"""The timers: unpaid orders cancelled after their deadline, shipped orders completed
when 自动确认收货 is due. Each order in its own short transaction (core.timers)."""

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from core.timers import run_each_locked

from ..models import OPEN_AFTERSALE_STATUSES, AfterSale, Order, OrderStatus
from .lifecycle import order_cancel, order_complete

TIMER_BATCH = 200


def _run_timer(queryset, handle) -> int:
    return run_each_locked(queryset, handle, batch=TIMER_BATCH)


def orders_cancel_unpaid(*, now=None) -> int:
    """Cancel orders not paid by their deadline and release their stock."""
    now = now or timezone.now()
    due = Order.objects.filter(status=OrderStatus.UNPAID, pay_deadline__lte=now)
    return _run_timer(
        due,
        lambda order: order_cancel(
            order_id=order.pk, reason=_("超时未支付，系统自动取消"), actor_label=_("系统")
        ),
    )


def orders_complete_due(*, now=None) -> int:
    """Complete shipped orders whose 自动确认收货 time has come (no open after-sale)."""
    now = now or timezone.now()
    open_aftersale = AfterSale.objects.filter(
        order=OuterRef("pk"), status__in=OPEN_AFTERSALE_STATUSES
    )
    due = Order.objects.filter(status=OrderStatus.SHIPPED, auto_complete_at__lte=now).exclude(
        Exists(open_aftersale)
    )
    return _run_timer(
        due,
        lambda order: order_complete(order_id=order.pk, actor_label=_("系统")),
    )
