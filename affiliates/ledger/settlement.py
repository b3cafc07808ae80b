"""Shop settlement (资金): what each paid order brings the shop.

结算金额 = goods paid + shipping − platform service fee − 精选联盟 commission − refunds.
The breakdown follows the order (payment, refunds, commission changes) while 待结算; the
settlement job settles it SETTLEMENT_DELAY_DAYS after completion, with the commissions.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from core.timers import run_each_locked
from orders.models import Order, OrderItem, OrderStatus

from .machines import SETTLEMENT_MACHINE
from .models import Bucket, LedgerEntry, PlatformFeeRate, SettlementState, ShopSettlement
from .services import apply_rate, commissions_settle_due

S = SettlementState


def platform_fee_bp(category) -> int:
    """The platform service fee rate of a (second-level) category's first-level parent."""
    if category is None:
        return settings.PLATFORM_SERVICE_FEE_DEFAULT_BP
    top_id = category.parent_id or category.pk
    rate = PlatformFeeRate.objects.filter(category_id=top_id).values_list("rate_bp", flat=True)
    return rate.first() if rate.exists() else settings.PLATFORM_SERVICE_FEE_DEFAULT_BP


def order_commission_fen(order_id: int) -> int:
    """The 精选联盟 commission the shop pays on the order: its commissions' entries,
    less what sits in 已失效 (state moves are ± pairs, so only live money remains)."""
    total = (
        LedgerEntry.objects.filter(commission__order_id=order_id)
        .exclude(bucket=Bucket.INVALID)
        .aggregate(total=Sum("commission_fen"))["total"]
    )
    return total or 0


def _breakdown(order: Order) -> dict:
    items = list(OrderItem.objects.filter(order=order).select_related("product__category"))
    goods = sum(item.paid_fen for item in items)
    refunds = sum(item.refunded_fen for item in items)
    fee = sum(
        apply_rate(
            item.paid_fen - item.refunded_fen,
            platform_fee_bp(item.product.category if item.product else None),
        )
        for item in items
    )
    commission = order_commission_fen(order.pk)
    return {
        "goods_fen": goods,
        "shipping_fen": order.shipping_fen,
        "platform_fee_fen": fee,
        "commission_fen": commission,
        "refund_fen": refunds,
        "settle_fen": goods + order.shipping_fen - fee - commission - refunds,
    }


def _move(settlement: ShopSettlement, to_state: int) -> bool:
    def on_change(row, from_state, to_state):
        if to_state == S.SETTLED:
            row.settled_at = timezone.now()

    changed = SETTLEMENT_MACHINE.move_locked([settlement], to_state, on_change=on_change)
    if changed:
        settlement.save(update_fields=["state", "settled_at", "updated_at"])
    return bool(changed)


@transaction.atomic
def settlement_follow_order(*, order_id: int) -> ShopSettlement | None:
    """Create or bring up to date the settlement of a paid order. Repeats change nothing."""
    order = Order.objects.select_for_update(of=("self",)).get(pk=order_id)
    if order.status == OrderStatus.UNPAID or order.paid_at is None:
        return None
    settlement, _created = ShopSettlement.objects.select_for_update().get_or_create(
        order=order,
        defaults={"shop_id": order.shop_id, "order_no": order.order_no, "paid_at": order.paid_at},
    )
    numbers = _breakdown(order)
    if settlement.state == S.SETTLED:
        # Settled money is not recomputed: a later refund is recorded beside it.
        settlement.refund_after_settle_fen = numbers["refund_fen"] - settlement.refund_fen
        settlement.save(update_fields=["refund_after_settle_fen", "updated_at"])
        return settlement
    if settlement.state == S.CLOSED:
        return settlement
    for field, value in numbers.items():
        setattr(settlement, field, value)
    if order.status == OrderStatus.COMPLETED and settlement.completed_at is None:
        settlement.completed_at = order.completed_at
        settlement.settle_due_at = order.completed_at + timedelta(
            days=settings.SETTLEMENT_DELAY_DAYS
        )
    settlement.save()
    if order.status == OrderStatus.CANCELLED:
        _move(settlement, S.CLOSED)
    return settlement


def settlements_settle_due(*, now=None) -> int:
    now = now or timezone.now()
    due = ShopSettlement.objects.filter(state=S.PENDING, settle_due_at__lte=now)
    return run_each_locked(due, lambda settlement: _move(settlement, S.SETTLED))


def ledger_settle_due(*, now=None) -> dict[str, int]:
    """The settlement job (Celery beat, `run_timers`): commissions first, so a shop
    settles with its commissions final. Idempotent; a late run catches up."""
    return {
        "commissions": commissions_settle_due(now=now),
        "settlements": settlements_settle_due(now=now),
    }
