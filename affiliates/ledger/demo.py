"""Demo money for seed_demo (idempotent; runs after the orders' demo): each demo creator
gets 精选联盟 orders in every ledger state, a settled balance, a withdrawal under
review and an imported 淘宝联盟 and 京东联盟 report; their shops get settlements in every state."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from orders.aftersales import aftersale_agree, aftersale_open
from orders.models import AfterSaleType, OrderStatus
from shops.models import Creator, Membership
from shops.roles import Role
from shops.tenancy import ContextKind, resolve_context

from ..models import AllianceOffer, OfferStatus
from .factories import alliance_order
from .models import Commission, IncomeSource
from .receivers import ledger_catch_up
from .report_import import report_import
from .settlement import ledger_settle_due
from .withdrawals import withdrawable_fen, withdrawal_request

CREATORS = ("creator", "creator2")
# Reports as the unions let creators download them: 淘宝联盟 in GBK under a title line,
# 京东联盟 in UTF-8 with a BOM and Excel's ="…" ids.
REPORTS = (
    (IncomeSource.TAOBAO, Path(__file__).resolve().parent.parent / "data/demo_taobao_report.csv"),
    (IncomeSource.JD, Path(__file__).resolve().parent.parent / "data/demo_jd_report.csv"),
)


def _refund(order, amount_fen: int, type: int) -> None:
    owner = Membership.objects.filter(shop=order.shop, role=Role.OWNER).select_related("user")
    context = resolve_context(owner.first().user, requested=f"shop:{order.shop_id}")
    item = order.items.get()
    aftersale = aftersale_open(
        item_id=item.pk, type=type, quantity=1, refund_fen=amount_fen, reason="不想要了"
    )
    aftersale_agree(context=context, aftersale_id=aftersale.pk)


def _order(creator, offer, status, **kwargs):
    order = alliance_order(creator=creator, offer=offer, status=status, **kwargs)
    ledger_catch_up(order_id=order.pk)
    return order


def _seed_settled(creator: Creator, offers: list) -> None:
    """Orders the job settles (as if completed long enough ago)."""
    _order(creator, offers[0], OrderStatus.COMPLETED, quantity=2)
    _order(creator, offers[-1], OrderStatus.COMPLETED)


def _seed_open(creator: Creator, offers: list) -> None:
    """Orders 待结算, 预估 (one adjusted by a partial refund) and 已失效, and a withdrawal."""
    first, second = offers[0], offers[-1]
    _order(creator, first, OrderStatus.COMPLETED)
    _order(creator, second, OrderStatus.SHIPPED, shipping_fen=600)
    partial = _order(creator, first, OrderStatus.SHIPPED, quantity=2)
    _refund(partial, 3000, AfterSaleType.SHIPPED_REFUND_ONLY)
    ledger_catch_up(order_id=partial.pk)
    cancelled = _order(creator, second, OrderStatus.AWAITING_SHIPMENT)
    _refund(cancelled, cancelled.items.get().paid_fen, AfterSaleType.UNSHIPPED_REFUND_ONLY)
    ledger_catch_up(order_id=cancelled.pk)
    context = resolve_context(creator.user, requested=ContextKind.CREATOR)
    withdrawal_request(
        context=context,
        amount_fen=withdrawable_fen(creator.pk) // 2,
        account=f"{creator.douyin_id}@alipay.example",
    )
    for source, path in REPORTS:
        report_import(creator=creator, source=source, content=path.read_bytes())


def seed(log) -> list:
    offers = list(
        AllianceOffer.objects.filter(status=OfferStatus.OPEN)
        .select_related("shop", "product")
        .order_by("id")[:4]
    )
    if not offers:
        return []
    creators = [
        creator
        for creator in Creator.objects.filter(user__username__in=CREATORS).select_related("user")
        if not Commission.objects.filter(creator=creator).exists()
    ]
    if not creators:
        return []  # seeded before: the job below would settle what is meant to stay pending
    for creator in creators:
        _seed_settled(creator, offers)
    ledger_settle_due(now=timezone.now() + timedelta(days=settings.SETTLEMENT_DELAY_DAYS + 1))
    for creator in creators:
        _seed_open(creator, offers)
    log(f"affiliates.ledger: 精选联盟 income and a withdrawal for {len(creators)} creators")
    return []
