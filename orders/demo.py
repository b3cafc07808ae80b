"""Demo orders for seed_demo: a few hundred per demo shop over the last 60 days, in every
status, some through the demo creators' showcases, some overdue, and after-sales in
every state; and 3 months of 数据 history (orders.stats.demo, inserted in bulk).

The orders go through the services a buyer, the payment provider and the merchant use:
placed, paid (or cancelled), shipped, completed, after-sales. Parcels go out through
the shipper logistics offers (without it, orders.shipping records the quantities
alone), and who sent the buyers comes from affiliates (`_hooks`). The services stamp the
present, so each order's times are then set to when it happened. Idempotent: a shop
that has orders is left alone.
"""

import random
from datetime import timedelta

from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import import_string

from core.exceptions import DomainError
from products.models import ProductStatus, Sku
from shops.models import Creator, Shop
from shops.tenancy import resolve_context

from . import aftersales, services
from .attribution import Attribution
from .models import (
    AfterSaleStatus,
    AfterSaleType,
    Channel,
    Order,
    OrderEvent,
    OrderEventKind,
    OrderStatus,
    PayMethod,
    TrafficSource,
)
from .rules import RETURN_TYPES
from .shipping import orders_record_shipments
from .stats.bulk import WORDS, demo_receiver, times
from .stats.demo import add_history
from .stats.recompute import rebuild

DEMO_SHOPS = ("chaoliu", "xianguo")
ORDERS_PER_SHOP = 240
DAYS = 60
S = OrderStatus


def _hooks(name: str) -> list:
    """What the installed apps offer the demo by naming a function in their AppConfig:
    `demo_order_attributions` (shop -> Attributions: affiliates' showcase, video and live
    items) and `demo_order_shipper` ((context, [(order, lines, shipped_at)]): logistics
    ships each as a parcel). orders imports neither app."""
    return [
        import_string(path)
        for config in apps.get_app_configs()
        if (path := getattr(config, name, None))
    ]


def _plan(rng: random.Random, now) -> list[tuple[int, object]]:
    """(final status, created_at) for each demo order of a shop."""
    plan = []
    for _ in range(ORDERS_PER_SHOP):
        age = timedelta(minutes=rng.randint(60, DAYS * 24 * 60))
        if rng.random() < 0.12:
            status = S.CANCELLED
        elif age < timedelta(days=3):
            status = rng.choice([S.AWAITING_SHIPMENT, S.AWAITING_SHIPMENT, S.SHIPPED])
        elif age < timedelta(days=15):
            status = S.SHIPPED
        else:
            status = S.COMPLETED
        plan.append((status, now - age))
    # A few still waiting for payment, some partly shipped, some overdue to ship.
    plan += [(S.UNPAID, now - timedelta(minutes=rng.randint(1, 20))) for _ in range(6)]
    plan += [(S.PARTIALLY_SHIPPED, now - timedelta(hours=rng.randint(5, 40))) for _ in range(4)]
    plan += [(S.AWAITING_SHIPMENT, now - timedelta(hours=rng.randint(50, 90))) for _ in range(6)]
    plan += [(S.AWAITING_SHIPMENT, now - timedelta(hours=rng.randint(43, 47))) for _ in range(3)]
    return sorted(plan, key=lambda p: p[1])


def _attributions(shop: Shop) -> list[Attribution]:
    """Who may have sent buyers to `shop`: the registered sources, else the creators
    with a cart."""
    found = [a for source in _hooks("demo_order_attributions") for a in source(shop)]
    if found:
        return found
    creators = Creator.objects.filter(cart_permission_granted_at__isnull=False)
    return [Attribution(c.pk, Channel.ALLIANCE, TrafficSource.SHOWCASE) for c in creators]


def _place(shop, skus, status, rng, attribution) -> Order | None:
    """Place one order as a buyer would; None when the stock or a limit refuses it."""
    quantity = 2 if status == S.PARTIALLY_SHIPPED else rng.choice([1, 1, 1, 2])
    lines = {rng.choice(skus).pk: quantity}
    if rng.random() < 0.25:
        lines.setdefault(rng.choice(skus).pk, 1)
    buyer_id = f"demo{rng.randint(10000, 99999)}"
    try:
        return services.order_place(
            shop=shop,
            lines=sorted(lines.items()),
            receiver=demo_receiver(rng),
            buyer={"id": buyer_id, "nickname": f"抖音用户{buyer_id[-4:]}"},
            attribution=attribution,
            buyer_words=rng.choice(WORDS),
            shipping_fen=rng.choice([0, 0, 0, 600, 1000]),
        )
    except DomainError:
        return None


def _pay(order, paid_at, rng) -> None:
    services.order_pay(
        order_id=order.pk,
        payment_id=f"DEMO{order.order_no}",
        amount_fen=order.paid_fen,
        pay_method=rng.choice([PayMethod.DOUYIN_PAY, PayMethod.WECHAT, PayMethod.ALIPAY]),
        provider="demo",
        paid_at=paid_at,
    )
    services.order_accept(order_id=order.pk)


def _ship(context, parcels) -> None:
    """Each (order, lines, shipped_at) as one parcel, through the registered shipper."""
    if not parcels:
        return
    shippers = _hooks("demo_order_shipper")
    if shippers:
        shippers[0](context, parcels)
    else:
        orders_record_shipments(lines=[line for _o, lines, _at in parcels for line in lines])


def _parcel_lines(order, partly: bool) -> list[tuple[int, int]]:
    items = list(order.items.order_by("pk"))
    if partly:
        return [(items[0].pk, 1)]
    return [(item.pk, item.quantity) for item in items]


# (order status needed, after-sale type, the state to leave it in)
AFTERSALE_PLAN = [
    (S.AWAITING_SHIPMENT, AfterSaleType.UNSHIPPED_REFUND_ONLY, AfterSaleStatus.AWAITING_MERCHANT),
    (S.AWAITING_SHIPMENT, AfterSaleType.UNSHIPPED_REFUND_ONLY, AfterSaleStatus.SUCCEEDED),
    (S.SHIPPED, AfterSaleType.SHIPPED_REFUND_ONLY, AfterSaleStatus.AWAITING_MERCHANT),
    (S.SHIPPED, AfterSaleType.RETURN_REFUND, AfterSaleStatus.AWAITING_BUYER_RETURN),
    (S.SHIPPED, AfterSaleType.RETURN_REFUND, AfterSaleStatus.AWAITING_MERCHANT_RECEIPT),
    (S.SHIPPED, AfterSaleType.RETURN_REFUND, AfterSaleStatus.SUCCEEDED),
    (S.SHIPPED, AfterSaleType.EXCHANGE, AfterSaleStatus.AWAITING_EXCHANGE_SHIPMENT),
    (S.SHIPPED, AfterSaleType.EXCHANGE, AfterSaleStatus.SUCCEEDED),
    (S.SHIPPED, AfterSaleType.SHIPPED_REFUND_ONLY, AfterSaleStatus.REJECTED),
    (S.SHIPPED, AfterSaleType.RETURN_REFUND, AfterSaleStatus.CLOSED),
]
REASONS = {
    AfterSaleType.RETURN_REFUND: "尺码不合适",
    AfterSaleType.SHIPPED_REFUND_ONLY: "少件/漏发",
    AfterSaleType.UNSHIPPED_REFUND_ONLY: "拍错/多拍",
    AfterSaleType.EXCHANGE: "颜色发错",
}


def _aftersale(context, order, type, target) -> None:
    """Open an after-sale on the order's first item and walk it to `target`."""
    item = order.items.order_by("pk").first()
    quantity = item.quantity if type == AfterSaleType.UNSHIPPED_REFUND_ONLY else 1
    refund = 0 if type == AfterSaleType.EXCHANGE else item.unit_price_fen * quantity
    a = aftersales.aftersale_open(
        item_id=item.pk, type=type, quantity=quantity, refund_fen=refund, reason=REASONS[type]
    )
    A = AfterSaleStatus
    if target == A.AWAITING_MERCHANT:
        return
    if target == A.REJECTED:
        aftersales.aftersale_reject(
            context=context, aftersale_id=a.pk, reason="商品已签收且无质量问题"
        )
        return
    if target == A.CLOSED:
        aftersales.aftersale_cancel(aftersale_id=a.pk)
        return
    aftersales.aftersale_agree(context=context, aftersale_id=a.pk)
    if target == A.AWAITING_BUYER_RETURN or type not in RETURN_TYPES:
        return
    aftersales.aftersale_buyer_return(
        aftersale_id=a.pk, carrier="中通快递", tracking_no=f"ZT{a.aftersale_no[-12:]}"
    )
    if target == A.AWAITING_MERCHANT_RECEIPT:
        return
    aftersales.aftersale_confirm_received(context=context, aftersale_id=a.pk)
    if type == AfterSaleType.EXCHANGE and target == A.SUCCEEDED:
        aftersales.aftersale_ship_exchange(aftersale_id=a.pk)


def _event_time(event, t: dict):
    """When an event of the services' timeline happened, by what it records."""
    if event.to_status == S.UNPAID:
        return t["created"]
    if event.to_status == S.CANCELLED:
        return t["deadline"]
    if event.kind == OrderEventKind.PAYMENT or event.to_status == S.PAID:
        return t["paid"]
    if event.to_status == S.AWAITING_SHIPMENT:
        return t["paid"] + timedelta(seconds=5)
    if event.kind == OrderEventKind.SHIPMENT or event.to_status in (S.SHIPPED, S.PARTIALLY_SHIPPED):
        return t["shipped"]
    if event.to_status == S.COMPLETED:
        return t["completed"]
    return None  # after-sales happen now


def _date(planned: list[tuple[Order, dict]], auto_confirm_days: int, now) -> None:
    """Move each order's times (and its timeline's) back to when it happened."""
    by_pk = {order.pk: t for order, t in planned}
    orders = list(Order.objects.filter(pk__in=by_pk))
    for order in orders:
        t = by_pk[order.pk]
        order.created_at, order.pay_deadline = t["created"], t["deadline"]
        if order.cancelled_at:
            order.cancelled_at = t["deadline"]
        if "shipped" in t:
            order.shipped_at = t["shipped"]
            due = t["shipped"] + timedelta(days=auto_confirm_days)
            t["completed"] = min(due, now)
            order.auto_complete_at = t["completed"] if order.status == S.COMPLETED else due
            if order.status == S.COMPLETED:
                order.completed_at = t["completed"]
    fields = ["created_at", "pay_deadline", "cancelled_at", "shipped_at"]
    Order.objects.bulk_update(orders, [*fields, "auto_complete_at", "completed_at"], batch_size=500)
    events = []
    for event in OrderEvent.objects.filter(order_id__in=by_pk):
        at = _event_time(event, by_pk[event.order_id])
        if at is not None:
            event.created_at = at
            events.append(event)
    OrderEvent.objects.bulk_update(events, ["created_at"], batch_size=500)


def _seed_shop(shop: Shop, now) -> tuple[int, int]:
    rng = random.Random(f"orders-demo-{shop.slug}")
    skus = list(
        Sku.objects.filter(
            shop=shop,
            is_active=True,
            price_fen__isnull=False,
            stock__gte=10,
            product__status=ProductStatus.ON_SALE,
        )
        .select_related("product")
        .order_by("pk")
    )
    if not skus:
        return 0, 0
    attributions = _attributions(shop)
    history = add_history(shop, skus, attributions, rng, now)
    owner = shop.memberships.filter(role="owner").select_related("user").first()
    context = resolve_context(owner.user, requested=f"shop:{shop.pk}")
    planned, by_status, parcels = [], {}, []
    for status, created_at in _plan(rng, now):
        attribution = rng.choice(attributions) if attributions and rng.random() < 0.4 else None
        order = _place(shop, skus, status, rng, attribution)
        if order is None:
            continue
        t = times(status, rng, created_at, now)
        if status == S.CANCELLED:
            services.order_cancel(
                order_id=order.pk, reason="超时未支付，系统自动取消", actor_label="系统"
            )
        elif "paid" in t:
            _pay(order, t["paid"], rng)
        if "shipped" in t:
            parcels.append(
                (order, _parcel_lines(order, status == S.PARTIALLY_SHIPPED), t["shipped"])
            )
        planned.append((order, t))
        by_status.setdefault(status, []).append(order)
    _ship(context, parcels)
    for order in by_status.get(S.COMPLETED, []):
        services.order_complete(order_id=order.pk, actor_label="系统")
    _date(planned, shop.auto_confirm_days, now)
    opened = 0
    for needed, type, target in AFTERSALE_PLAN:
        candidates = by_status.get(needed) or []
        if candidates:
            _aftersale(context, candidates.pop(), type, target)
            opened += 1
    # The services counted today in 数据's rollups, and the history skipped them.
    rebuild(shop_ids=[shop.pk])
    return history + len(planned), opened


def seed(log) -> list[tuple[str, str]]:
    now = timezone.now()
    placed = opened = 0
    for shop in Shop.objects.filter(slug__in=DEMO_SHOPS).order_by("pk"):
        if Order.objects.filter(shop=shop).exists():
            continue
        counts = _seed_shop(shop, now)
        placed += counts[0]
        opened += counts[1]
    log(f"orders: {placed} orders, {opened} after-sales")
    return []
