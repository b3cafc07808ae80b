"""3 months of 数据 history for the demo shops, inserted in bulk: going through the
services one order at a time would take minutes for the thousands of orders a story
needs. Each order is made as the services would have left it (the item snapshot is
theirs: orders.services.checkout.item_snapshot), with its times, events and payment,
and the stock it still holds; the rollups are then rebuilt (orders.stats.recompute).
Also the demo's buyers and addresses, which orders.demo shares.
"""

import random
from datetime import timedelta

from core.money import fen_to_yuan
from products.models import Sku
from products.services import sku_reserve_stock
from shops.models import Shop

from ..attribution import Attribution
from ..deadlines import exp_ship_time
from ..models import Order, OrderEvent, OrderEventKind, OrderItem, OrderStatus, Payment, PayMethod
from ..services import new_number
from ..services.checkout import item_snapshot

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


def demo_receiver(rng: random.Random) -> dict:
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


def times(status, rng, created_at, now) -> dict:
    """When each step of an order that ends in `status` happened."""
    t = {"created": created_at, "deadline": created_at + timedelta(minutes=30)}
    if status in (S.UNPAID, S.CANCELLED):
        return t
    t["paid"] = created_at + timedelta(minutes=rng.randint(1, 15))
    if status in (S.PARTIALLY_SHIPPED, S.SHIPPED, S.COMPLETED):
        gap = min(timedelta(hours=rng.randint(2, 40)), (now - t["paid"]) * 0.8)
        t["shipped"] = t["paid"] + gap
    return t


class HistoryBuilder:
    """Builds one shop's history orders in memory as the services would have left them
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
        t = times(status, rng, created_at, self.now)
        receiver = demo_receiver(rng)
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
        items = [item_snapshot(sku, n, order=order, item_no=self.number()) for sku, n in lines]
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
