"""Writes to the commission ledger. Order and after-sale signals call these (through
`affiliates.ledger.receivers`); nothing else moves a commission.

Amounts are computed in full from the order item each time (base = paid − refunded,
commission = base × rate half-up, fee = commission × fee rate half-up) and the entry
written is the difference from what the entries already sum to: rounding happens once
per entry, and recomputing twice writes nothing the second time.
"""

from dataclasses import asdict, dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.state import lock_in_pk_order
from core.timers import run_each_locked
from orders.models import Channel, Order, OrderItem, OrderStatus

from ..models import AllianceOffer
from ..selectors import alliance_rate_at
from .machines import COMMISSION_MACHINE
from .models import (
    STATE_BUCKET,
    Bucket,
    Commission,
    CommissionState,
    EntryKind,
    LedgerEntry,
)

C = CommissionState

# The entry that records each move, and why.
MOVE_KIND = {
    C.PENDING: EntryKind.CONFIRM,
    C.SETTLED: EntryKind.SETTLE,
    C.INVALID: EntryKind.INVALIDATE,
}


def apply_rate(amount_fen: int, rate_bp: int) -> int:
    """amount × rate (basis points), rounded half-up to the fen."""
    exact = Decimal(amount_fen) * Decimal(rate_bp) / Decimal(10000)
    return int(exact.to_integral_value(rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Amounts:
    """An entry's money columns (net is derived)."""

    base_fen: int = 0
    commission_fen: int = 0
    fee_fen: int = 0

    @property
    def net_fen(self) -> int:
        return self.commission_fen - self.fee_fen

    def __sub__(self, other: "Amounts") -> "Amounts":
        return Amounts(
            self.base_fen - other.base_fen,
            self.commission_fen - other.commission_fen,
            self.fee_fen - other.fee_fen,
        )

    def __neg__(self) -> "Amounts":
        return Amounts() - self

    def __bool__(self) -> bool:
        return any((self.base_fen, self.commission_fen, self.fee_fen))


def commission_amounts(*, base_fen: int, rate_bp: int, fee_rate_bp: int) -> Amounts:
    commission = apply_rate(base_fen, rate_bp)
    return Amounts(base_fen, commission, apply_rate(commission, fee_rate_bp))


def commission_totals(commission: Commission) -> Amounts:
    """What the commission's entries sum to (state moves are ± pairs, so they cancel)."""
    sums = commission.entries.aggregate(
        base=Sum("base_fen"), commission=Sum("commission_fen"), fee=Sum("fee_fen")
    )
    return Amounts(sums["base"] or 0, sums["commission"] or 0, sums["fee"] or 0)


def ledger_append(commission: Commission, **entry) -> LedgerEntry:
    """A commission's entry: `entry` is `entry_append`'s kind, bucket, amounts, reason
    and actor; who, which income and when come from the commission."""
    return entry_append(
        creator_id=commission.creator_id,
        source=commission.source,
        ordered_at=commission.ordered_at,
        commission=commission,
        **entry,
    )


def entry_append(
    *, creator_id, source, kind, bucket, amounts: Amounts, ordered_at, reason="", actor=None, **of
) -> LedgerEntry:
    """The one way an entry is written (never updated: see the migration); `of` names
    what it is about (`commission=` or `withdrawal=`)."""
    return LedgerEntry.objects.create(
        creator_id=creator_id,
        source=source,
        kind=kind,
        bucket=bucket,
        **asdict(amounts),
        net_fen=amounts.net_fen,
        ordered_at=ordered_at,
        reason=reason[:200],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        **of,
    )


def commission_move(commission: Commission, to_state: int, *, reason: str = "", actor=None) -> bool:
    """Move a locked commission through COMMISSION_MACHINE: its money leaves the old
    bucket and enters the new one as a pair of entries. False when it was there already."""
    now = timezone.now()

    def on_change(row, from_state, to_state):
        totals = commission_totals(row)
        kind = MOVE_KIND[to_state]
        for state, amounts in ((from_state, -totals), (to_state, totals)):
            ledger_append(
                row,
                kind=kind,
                bucket=STATE_BUCKET[state],
                amounts=amounts,
                reason=reason,
                actor=actor,
            )
        stamp = {C.SETTLED: "settled_at", C.INVALID: "invalidated_at"}.get(to_state)
        if stamp:
            setattr(row, stamp, now)

    changed = COMMISSION_MACHINE.move_locked([commission], to_state, on_change=on_change)
    if changed:
        commission.save(update_fields=["state", "settled_at", "invalidated_at"])
    return bool(changed)


def _locked_commissions(order_id: int) -> list[Commission]:
    ids = Commission.objects.filter(order_id=order_id).values_list("pk", flat=True)
    return lock_in_pk_order(Commission.objects.all(), ids)


def _lock_order(order_id: int) -> Order:
    # The order first, as orders' own writers do: one order's commissions change one at a time.
    return Order.objects.select_for_update(of=("self",)).get(pk=order_id)


@transaction.atomic
def commissions_record_paid(*, order_id: int) -> list[Commission]:
    """A paid 精选联盟 order of an attributed creator: one 预估 commission per child order
    whose product was open to the alliance when the order was placed. Repeats add nothing."""
    order = _lock_order(order_id)
    if order.channel != Channel.ALLIANCE or order.creator_id is None:
        return []
    done = set(Commission.objects.filter(order=order).values_list("order_item_id", flat=True))
    items = [
        i for i in OrderItem.objects.filter(order=order, product__isnull=False) if i.pk not in done
    ]
    offers = AllianceOffer.objects.in_bulk([i.product_id for i in items], field_name="product_id")
    fee_rate_bp = settings.ALLIANCE_TECH_FEE_BP
    created = []
    for item in items:
        offer = offers.get(item.product_id)
        rate_bp = alliance_rate_at(offer=offer, at=order.created_at) if offer else None
        if rate_bp is None:
            continue
        commission = Commission.of_order_item(order, item, rate_bp=rate_bp, fee_rate_bp=fee_rate_bp)
        commission.save()
        amounts = commission_amounts(
            base_fen=item.paid_fen - item.refunded_fen, rate_bp=rate_bp, fee_rate_bp=fee_rate_bp
        )
        ledger_append(
            commission,
            kind=EntryKind.ESTIMATE,
            bucket=Bucket.ESTIMATED,
            amounts=amounts,
            reason=_("订单支付，佣金率 %(rate)s%%") % {"rate": f"{rate_bp / 100:g}"},
        )
        created.append(commission)
    return created


@transaction.atomic
def commissions_confirm(*, order_id: int) -> int:
    """Order 已完成: 预估 → 待结算, due to settle SETTLEMENT_DELAY_DAYS later."""
    order = _lock_order(order_id)
    completed_at = order.completed_at or timezone.now()
    moved = 0
    for commission in _locked_commissions(order_id):
        if commission.state != C.ESTIMATED:
            continue
        commission.completed_at = completed_at
        commission.settle_due_at = completed_at + timedelta(days=settings.SETTLEMENT_DELAY_DAYS)
        commission.save(update_fields=["completed_at", "settle_due_at"])
        moved += commission_move(commission, C.PENDING, reason=_("订单已完成"))
    return moved


@transaction.atomic
def commissions_invalidate(*, order_id: int, reason: str) -> int:
    """Order cancelled (or refunded in full) before settlement: → 已失效."""
    _lock_order(order_id)
    moved = 0
    for commission in _locked_commissions(order_id):
        if commission.state in (C.ESTIMATED, C.PENDING):
            moved += commission_move(commission, C.INVALID, reason=reason)
    return moved


@transaction.atomic
def commissions_follow_refunds(*, order_id: int) -> int:
    """Bring each commission of the order in line with its item's refunds: a partial
    refund is an adjustment entry, a full one before settlement makes it 已失效, a refund
    after settlement is a negative entry against the creator's settled balance."""
    _lock_order(order_id)
    written = 0
    for commission in _locked_commissions(order_id):
        if commission.state == C.INVALID:
            continue
        item = OrderItem.objects.get(pk=commission.order_item_id)
        base = item.paid_fen - item.refunded_fen
        if base == 0 and commission.state != C.SETTLED:
            written += commission_move(commission, C.INVALID, reason=_("商品已全额退款"))
            continue
        target = commission_amounts(
            base_fen=base, rate_bp=commission.rate_bp, fee_rate_bp=commission.fee_rate_bp
        )
        delta = target - commission_totals(commission)
        if not delta:
            continue
        settled = commission.state == C.SETTLED
        ledger_append(
            commission,
            kind=EntryKind.CLAWBACK if settled else EntryKind.ADJUST,
            bucket=STATE_BUCKET[commission.state],
            amounts=delta,
            reason=_("售后退款，计佣金额变为 ¥%(base)s") % {"base": f"{base / 100:.2f}"},
        )
        written += 1
    return written


def commissions_settle_due(*, now=None) -> int:
    """The settlement job's commission half: 待结算 past `settle_due_at` → 已结算."""
    now = now or timezone.now()
    due = Commission.objects.filter(state=C.PENDING, settle_due_at__lte=now)
    return run_each_locked(
        due, lambda commission: commission_move(commission, C.SETTLED, reason=_("到期自动结算"))
    )


def commissions_follow_order(*, order_id: int, from_status: int, to_status: int) -> None:
    """What an order status change means for its commissions."""
    if to_status == OrderStatus.PAID:
        commissions_record_paid(order_id=order_id)
    elif to_status == OrderStatus.COMPLETED:
        commissions_confirm(order_id=order_id)
    elif to_status == OrderStatus.CANCELLED and from_status != OrderStatus.UNPAID:
        commissions_invalidate(order_id=order_id, reason=_("订单已取消"))
