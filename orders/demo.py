"""Demo orders for seed_demo: a few hundred per demo shop over the last 60 days, in every
status, some through the demo creators' showcases, some overdue, and after-sales in
every state.

Orders are built in bulk exactly as the services would leave them (snapshots, amounts,
times, events, payments, the stock they hold), which keeps seeding fast; the after-sales
then go through the real services. Idempotent: a shop that has orders is left alone.
"""

import random
from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from core.money import fen_to_yuan
from products.models import ProductStatus, Sku
from products.services import sku_reserve_stock
from shops.models import Creator, Shop
from shops.tenancy import resolve_context

from . import aftersales
from .aftersales import RETURN_TYPES
from .attribution import Attribution
from .deadlines import exp_ship_time
from .models import (
    AfterSaleStatus,
    AfterSaleType,
    Channel,
    Order,
    OrderEvent,
    OrderEventKind,
    OrderItem,
    OrderStatus,
    Payment,
    PayMethod,
    TrafficSource,
)
from .services import new_number
from .stats.demo import add_shaped_orders
from .stats.recompute import rebuild

DEMO_SHOPS = ("chaoliu", "xianguo")
ORDERS_PER_SHOP = 240
DAYS = 60
S = OrderStatus

NAMES = [
    "王芳",
    "李娜",
    "张伟",
    "刘洋",
    "陈静",
    "杨帆",
    "赵磊",
    "黄敏",
    "周杰",
    "吴婷",
    "徐晨",
    "孙悦",
]
ADDRESSES = [
    ("浙江省", "杭州市", "西湖区", "文新街道", "文三路 477 号 3 幢"),
    ("广东省", "深圳市", "南山区", "粤海街道", "科技园科苑路 15 号"),
    ("上海市", "上海市", "浦东新区", "张江镇", "碧波路 690 号"),
    ("北京市", "北京市", "朝阳区", "望京街道", "阜通东大街 6 号院"),
    ("四川省", "成都市", "武侯区", "桂溪街道", "天府大道北段 1700 号"),
    ("江苏省", "南京市", "鼓楼区", "华侨路街道", "中山路 18 号"),
    ("湖北省", "武汉市", "洪山区", "关山街道", "光谷大道 77 号"),
    ("山东省", "青岛市", "市南区", "八大关街道", "香港中路 9 号"),
]
WORDS = ["", "", "", "请尽快发货", "送人的，不要放价格单", "周末在家，工作日放驿站"]


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
    """Who may have sent buyers: the demo creators' showcase, video and live items of
    this shop when the affiliates app has them, else the creators alone."""
    attributions = []
    if apps.is_installed("affiliates"):
        item_model = apps.get_model("affiliates", "ShowcaseItem")
        for item in item_model.objects.filter(product__shop=shop).prefetch_related(
            "video_links__video", "live_links"
        ):
            channel = Channel.ALLIANCE if item.offer_id else Channel.SHOP
            attributions.append(Attribution(item.creator_id, channel, TrafficSource.SHOWCASE))
            for link in item.video_links.all():
                attributions.append(
                    Attribution(
                        item.creator_id,
                        channel,
                        TrafficSource.VIDEO,
                        video_id=link.video.douyin_video_id,
                    )
                )
            for link in item.live_links.all():
                attributions.append(
                    Attribution(
                        item.creator_id,
                        channel,
                        TrafficSource.LIVE,
                        live_room_id=str(link.session_id),
                    )
                )
    if not attributions:
        for creator in Creator.objects.filter(cart_permission_granted_at__isnull=False):
            attributions.append(Attribution(creator.pk, Channel.ALLIANCE, TrafficSource.SHOWCASE))
    return attributions


def _receiver(rng: random.Random) -> dict:
    province, city, district, street, detail = rng.choice(ADDRESSES)
    return {
        "name": rng.choice(NAMES),
        "phone": f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}",
        "province": province,
        "city": city,
        "district": district,
        "street": street,
        "detail": f"{detail} {rng.randint(1, 30)}0{rng.randint(1, 4)} 室",
    }


def _times(status, rng, created_at, now) -> dict:
    """When each step of an order that ends in `status` happened."""
    t = {"created": created_at, "deadline": created_at + timedelta(minutes=30)}
    if status in (S.UNPAID, S.CANCELLED):
        return t
    t["paid"] = created_at + timedelta(minutes=rng.randint(1, 15))
    if status in (S.PARTIALLY_SHIPPED, S.SHIPPED, S.COMPLETED):
        gap = min(timedelta(hours=rng.randint(2, 40)), (now - t["paid"]) * 0.8)
        t["shipped"] = t["paid"] + gap
    return t


class _Builder:
    """Builds one shop's demo orders in memory exactly as the services would leave them
    (snapshots, amounts, times, events, payments), then inserts them in bulk."""

    def __init__(self, shop: Shop, rng: random.Random, now):
        self.shop, self.rng, self.now = shop, rng, now
        self.numbers: set[str] = set()
        self.orders, self.items, self.events, self.payments = [], [], [], []
        self.taken: dict[int, int] = {}  # sku id -> units the orders hold

    def number(self) -> str:
        number = new_number()
        while number in self.numbers:
            number = new_number()
        self.numbers.add(number)
        return number

    def event(self, order, at, to_status=None, from_status=None, **fields):
        kind = fields.pop("kind", OrderEventKind.STATUS)
        self.events.append(
            (
                at,
                OrderEvent(
                    order=order, kind=kind, from_status=from_status, to_status=to_status, **fields
                ),
            )
        )

    def lines(self, skus, status) -> list[tuple[Sku, int]]:
        quantity = 2 if status == S.PARTIALLY_SHIPPED else self.rng.choice([1, 1, 1, 2])
        picked = {self.rng.choice(skus).pk: quantity}
        if self.rng.random() < 0.25:
            picked.setdefault(self.rng.choice(skus).pk, 1)
        by_pk = {sku.pk: sku for sku in skus}
        chosen = []
        for pk, n in sorted(picked.items()):
            sku = by_pk[pk]
            if status != S.CANCELLED:
                if self.taken.get(pk, 0) + n > sku.stock:
                    continue
                self.taken[pk] = self.taken.get(pk, 0) + n
            chosen.append((sku, n))
        return chosen

    def add(self, status, created_at, lines, attribution: Attribution | None):
        rng, shop = self.rng, self.shop
        a = attribution or Attribution()
        t = _times(status, rng, created_at, self.now)
        receiver = _receiver(rng)
        buyer_id = f"demo{rng.randint(10000, 99999)}"
        order = Order(
            shop=shop,
            order_no=self.number(),
            status=status,
            buyer_id=buyer_id,
            buyer_nickname=f"抖音用户{buyer_id[-4:]}",
            shipping_fen=rng.choice([0, 0, 0, 600, 1000]),
            created_at=created_at,
            pay_deadline=t["deadline"],
            buyer_words=rng.choice(WORDS),
            channel=a.channel,
            traffic_source=a.traffic_source,
            creator_id=a.creator_id,
            video_id=a.video_id,
            live_room_id=a.live_room_id,
            **{f"receiver_{key}": value for key, value in receiver.items()},
        )
        items = [
            OrderItem(
                shop=shop,
                order=order,
                item_no=self.number(),
                product=sku.product,
                sku=sku,
                product_title=sku.product.title[:60],
                spec_text=sku.spec_text,
                outer_code=sku.outer_code,
                unit_price_fen=sku.price_fen,
                quantity=n,
                paid_fen=sku.price_fen * n,
            )
            for sku, n in lines
        ]
        order.goods_total_fen = sum(item.paid_fen for item in items)
        order.paid_fen = order.goods_total_fen + order.shipping_fen
        self.orders.append(order)
        self.items += items
        self.event(order, created_at, S.UNPAID, actor_label="买家", code="placed")
        if status == S.CANCELLED:
            order.cancelled_at = t["deadline"]
            order.cancel_reason = "超时未支付，系统自动取消"
            self.event(
                order,
                t["deadline"],
                S.CANCELLED,
                S.UNPAID,
                actor_label="系统",
                note=order.cancel_reason,
            )
        if "paid" not in t:
            return order
        self.pay(order, items, t["paid"])
        if "shipped" in t:
            self.ship(order, items, t["shipped"], partly=status == S.PARTIALLY_SHIPPED)
        if status == S.COMPLETED:
            order.completed_at = order.auto_complete_at = min(order.auto_complete_at, self.now)
            self.event(
                order,
                order.completed_at,
                S.COMPLETED,
                S.SHIPPED,
                actor_label="系统",
                code="completed",
            )
        return order

    def pay(self, order, items, paid_at):
        method = self.rng.choice([PayMethod.DOUYIN_PAY, PayMethod.WECHAT, PayMethod.ALIPAY])
        order.paid_at, order.pay_method = paid_at, method
        order.exp_ship_time = exp_ship_time(
            paid_at=paid_at,
            ship_within_hours=self.shop.ship_within_hours,
            promises=[item.product.ship_promise for item in items],
        )
        self.payments.append(
            Payment(
                order=order,
                provider="demo",
                payment_id=f"DEMO{order.order_no}",
                amount_fen=order.paid_fen,
                pay_method=method,
                paid_at=paid_at,
            )
        )
        self.event(
            order,
            paid_at,
            kind=OrderEventKind.PAYMENT,
            actor_label="支付平台",
            code="paid",
            params={
                "method": method,
                "amount": fen_to_yuan(order.paid_fen),
                "id": f"DEMO{order.order_no}",
            },
        )
        self.event(order, paid_at, S.PAID, S.UNPAID, actor_label="支付平台")
        self.event(
            order,
            paid_at + timedelta(seconds=5),
            S.AWAITING_SHIPMENT,
            S.PAID,
            actor_label="系统",
            code="accepted",
        )

    def ship(self, order, items, shipped_at, *, partly: bool):
        shipped = items[:1] if partly else items
        for item in shipped:
            item.shipped_quantity = 1 if partly else item.quantity
        items_shipped = [f"{item.item_no} ×{item.shipped_quantity}" for item in shipped]
        self.event(
            order,
            shipped_at,
            kind=OrderEventKind.SHIPMENT,
            code="shipped",
            params={"items": items_shipped},
        )
        to_status = S.PARTIALLY_SHIPPED if partly else S.SHIPPED
        self.event(order, shipped_at, to_status, S.AWAITING_SHIPMENT)
        order.shipped_at = shipped_at
        if not partly:
            order.auto_complete_at = shipped_at + timedelta(days=self.shop.auto_confirm_days)

    def save(self) -> None:
        Order.objects.bulk_create(self.orders)
        for item in self.items:
            item.order_id = item.order.pk
        OrderItem.objects.bulk_create(self.items)
        for payment in self.payments:
            payment.order_id = payment.order.pk
        Payment.objects.bulk_create(self.payments)
        for _at, event in self.events:
            event.order_id = event.order.pk
        created = OrderEvent.objects.bulk_create([event for _at, event in self.events])
        # created_at is auto_now_add: set the real times once the rows exist.
        for (at, _event), row in zip(self.events, created, strict=True):
            row.created_at = at
        OrderEvent.objects.bulk_update(created, ["created_at"], batch_size=500)
        if self.taken:
            sku_reserve_stock(lines=sorted(self.taken.items()), note="演示订单")


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
    builder = _Builder(shop, rng, now)
    by_status: dict[int, list] = {}
    for status, created_at in _plan(rng, now):
        lines = builder.lines(skus, status)
        if not lines:
            continue
        attribution = rng.choice(attributions) if attributions and rng.random() < 0.4 else None
        order = builder.add(status, created_at, lines, attribution)
        by_status.setdefault(status, []).append(order)
    add_shaped_orders(builder, skus, attributions, rng, now)
    builder.save()
    owner = shop.memberships.filter(role="owner").select_related("user").first()
    context = resolve_context(owner.user, requested=f"shop:{shop.pk}")
    opened = 0
    for needed, type, target in AFTERSALE_PLAN:
        candidates = by_status.get(needed) or []
        if candidates:
            _aftersale(context, candidates.pop(), type, target)
            opened += 1
    # Bulk-built orders skip the services that keep 数据's rollups: count them now.
    rebuild(shop_ids=[shop.pk])
    return len(builder.orders), opened


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
