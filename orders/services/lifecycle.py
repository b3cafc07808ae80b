"""Cancel (unpaid only), 已签收 from logistics, and 确认收货 (complete)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import acting_user
from core.models import Said
from products.models import StockMoveReason
from products.services import sku_release_stock

from .. import rules
from ..exceptions import OrderError, TransitionRefused
from ..models import (
    OPEN_AFTERSALE_STATUSES,
    AfterSale,
    Order,
    OrderEvent,
    OrderEventKind,
    OrderStatus,
)
from ..status import lock_order, order_set_status_locked


def _release_lines(order: Order) -> list[tuple[int, int]]:
    return [
        (item.sku_id, item.quantity - item.refunded_quantity)
        for item in order.items.all()
        if item.sku_id and item.quantity > item.refunded_quantity
    ]


@transaction.atomic
def order_cancel(*, order_id: int, reason: str, actor=None, actor_label: str = "") -> Order:
    """Cancel an unpaid order and put its stock back. A paid order is refunded through
    an after-sale (未发货仅退款) instead; refunding everything cancels it."""
    reason = (reason or "").strip()
    if not reason:
        raise OrderError(_("请填写取消原因。"), fields={"reason": [_("请填写取消原因。")]})
    order = lock_order(order_id)
    if order.status == OrderStatus.CANCELLED:
        return order
    if not rules.can_cancel(order):
        raise TransitionRefused(
            _("订单 %(no)s 已支付，不能直接取消，请通过售后退款。") % {"no": order.order_no}
        )
    order.cancel_reason = reason[:100]
    order.save(update_fields=["cancel_reason", "updated_at"])
    lines = _release_lines(order)
    if lines:
        sku_release_stock(
            lines=lines,
            reason=StockMoveReason.CANCEL,
            actor=acting_user(actor),
            note=Said("order_cancelled", {"no": order.order_no}),
        )
    return order_set_status_locked(
        order,
        to_status=OrderStatus.CANCELLED,
        actor=actor,
        actor_label=actor_label,
        note=reason,
    )


@transaction.atomic
def order_mark_signed(*, order_id: int, signed_at) -> Order:
    """已签收 of one parcel (from logistics). The order keeps the sign time of its last
    parcel to be signed, and auto-complete runs from it, never from before the order
    became 已发货 (a parcel signed early, or a sign reported late, moves nothing back)."""
    order = lock_order(order_id)
    if order.status not in (OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED):
        return order
    if order.signed_at == signed_at:
        return order
    if order.shipped_at and signed_at < order.shipped_at:
        message = _("签收时间 %(signed)s 早于订单 %(no)s 的发货时间 %(shipped)s。") % {
            "signed": timezone.localtime(signed_at).strftime("%Y-%m-%d %H:%M"),
            "no": order.order_no,
            "shipped": timezone.localtime(order.shipped_at).strftime("%Y-%m-%d %H:%M"),
        }
        raise OrderError(message, fields={"signed_at": [message]})
    order.signed_at = max(signed_at, order.signed_at or signed_at)
    fields = ["signed_at", "updated_at"]
    if order.status == OrderStatus.SHIPPED:
        due = order.signed_at + timedelta(days=order.shop.auto_confirm_days)
        order.auto_complete_at = max(due, order.auto_complete_at or due)
        fields.append("auto_complete_at")
    order.save(update_fields=fields)
    OrderEvent.objects.create(
        order=order,
        kind=OrderEventKind.SHIPMENT,
        actor_label=_("物流"),
        code="signed",
        params={"at": timezone.localtime(signed_at).strftime("%Y-%m-%d %H:%M")},
    )
    return order


def _open_aftersale_no(order_id: int) -> str | None:
    return (
        AfterSale.objects.filter(order_id=order_id, status__in=OPEN_AFTERSALE_STATUSES)
        .values_list("aftersale_no", flat=True)
        .first()
    )


@transaction.atomic
def order_complete(*, order_id: int, actor=None, actor_label: str = "") -> Order:
    """3 已发货 → 5 已完成 (确认收货), unless an after-sale is still open."""
    order = lock_order(order_id)
    open_no = _open_aftersale_no(order.pk)
    if open_no and order.status == OrderStatus.SHIPPED:
        raise TransitionRefused(
            _("订单 %(no)s 有进行中的售后单 %(aftersale)s，完结前不能确认收货。")
            % {"no": order.order_no, "aftersale": open_no}
        )
    return order_set_status_locked(
        order,
        to_status=OrderStatus.COMPLETED,
        actor=actor,
        actor_label=actor_label or _("系统"),
        note=Said("completed"),
    )
