"""Shared by tests/orders/test_stats_*.py: a settable clock, a shop that trades through
the real services, and every 数据 figure computed independently in plain Python from
the order rows (never from the rollups)."""

import random
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from orders import aftersales, services
from orders.attribution import Attribution
from orders.factories import pay
from orders.models import (
    AfterSale,
    AfterSaleStatus,
    Channel,
    Order,
    OrderItem,
    TrafficSource,
)
from orders.stats.definitions import BANDS, band_of

from .aftersale_support import item_refund_request

BEIJING = ZoneInfo("Asia/Shanghai")


def bj(year, month, day, hour=12, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BEIJING)


class Clock:
    """timezone.now() for the services (placing, cancelling and refunding stamp it)."""

    def __init__(self, monkeypatch, start):
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)


PROVINCES = [("广东省", "深圳市"), ("广东省", "广州市"), ("浙江省", "杭州市"), ("四川省", "成都市")]


def receiver(province="浙江省", city="杭州市"):
    return {
        "name": "张三",
        "phone": "13812345678",
        "province": province,
        "city": city,
        "district": "某区",
        "detail": "某路 1 号",
    }


def place(shop, skus, *, buyer="b1", province=("浙江省", "杭州市"), attribution=None, shipping=0):
    return services.order_place(
        shop=shop,
        lines=skus,
        receiver=receiver(*province),
        buyer={"id": buyer, "nickname": buyer},
        attribution=attribution,
        shipping_fen=shipping,
    )


def refund_all(context, order):
    """未发货仅退款 of every item, agreed: the order ends 已取消 (paid, then refunded)."""
    for item in order.items.all():
        a = item_refund_request(item, quantity=item.quantity, reason="不想要了")
        aftersales.aftersale_agree(context=context, aftersale_id=a.pk)


def refund_part(context, order, fen):
    item = order.items.order_by("pk").first()
    a = item_refund_request(item, reason="少件", refund_fen=fen)
    aftersales.aftersale_agree(context=context, aftersale_id=a.pk)


def drive(rng: random.Random, clock, shop, context, skus, creators, start, days, steps):
    """Random places, payments (some late at night, some paid the next day), partial
    and full refunds and cancellations through the services, the clock moving on."""
    unpaid, paid = [], []
    for _ in range(steps):
        clock.now = start + timedelta(minutes=rng.randint(0, days * 24 * 60))
        roll = rng.random()
        if roll < 0.45 or not (unpaid or paid):
            creator = rng.choice(creators + [None, None])
            attribution = None
            if creator is not None:
                source = rng.choice(
                    [TrafficSource.SHOWCASE, TrafficSource.VIDEO, TrafficSource.LIVE]
                )
                attribution = Attribution(
                    creator.pk,
                    Channel.ALLIANCE,
                    source,
                    video_id="v1" if source == TrafficSource.VIDEO else "",
                    live_room_id="r1" if source == TrafficSource.LIVE else "",
                )
            lines = [(sku.pk, rng.randint(1, 3)) for sku in rng.sample(skus, rng.randint(1, 2))]
            unpaid.append(
                place(
                    shop,
                    lines,
                    buyer=f"b{rng.randint(1, 8)}",
                    province=rng.choice(PROVINCES),
                    attribution=attribution,
                    shipping=rng.choice([0, 0, 800]),
                )
            )
        elif roll < 0.75 and unpaid:
            order = unpaid.pop(rng.randrange(len(unpaid)))
            # Paid up to a day later, or at 23:30 / 00:30 Beijing time.
            local = timezone.localtime(clock.now)
            paid_at = rng.choice(
                [
                    clock.now,
                    clock.now + timedelta(hours=rng.randint(1, 20)),
                    local.replace(hour=23, minute=30),
                    local.replace(hour=0, minute=30) + timedelta(days=1),
                ]
            )
            paid.append(pay(order, paid_at=paid_at))
        elif roll < 0.85 and unpaid:
            order = unpaid.pop(rng.randrange(len(unpaid)))
            services.order_cancel(order_id=order.pk, reason="买家不想要了")
        elif paid:
            order = paid.pop(rng.randrange(len(paid)))
            if rng.random() < 0.5:
                refund_all(context, order)
            else:
                refund_part(context, order, rng.randint(1, 500))


# --- the figures, from the rows ------------------------------------------------------------


def day(moment):
    return timezone.localtime(moment, BEIJING).date()


def _within(moment, period):
    return moment is not None and period.start <= day(moment) <= period.end


def half_up(part, whole):
    return int((Decimal(part) / Decimal(whole)).to_integral_value(ROUND_HALF_UP))


def expected_overview(shop, period) -> dict:
    orders = list(Order.objects.filter(shop=shop))
    paid = [o for o in orders if _within(o.paid_at, period)]
    refunds = [
        a
        for a in AfterSale.objects.filter(shop=shop, status=AfterSaleStatus.SUCCEEDED)
        if _within(a.finished_at, period)
    ]
    gmv = sum(o.paid_fen for o in paid)
    buyers = len({o.buyer_id for o in paid})
    refund = sum(a.refund_fen for a in refunds)
    return {
        "orders": sum(1 for o in orders if _within(o.created_at, period)),
        "paid_orders": len(paid),
        "gmv_fen": gmv,
        "buyers": buyers,
        "aov_fen": half_up(gmv, buyers) if buyers else None,
        "refund_fen": refund,
        "refund_rate": half_up(refund * 10000, gmv) if gmv else None,
        "cancelled": sum(1 for o in orders if _within(o.cancelled_at, period)),
    }


def paid_orders(shop, period):
    return [o for o in Order.objects.filter(shop=shop) if _within(o.paid_at, period)]


def expected_trend(shop, period) -> dict:
    orders = list(Order.objects.filter(shop=shop))

    def series(p):
        if p.hourly:
            keys = list(range(24))
            placed = Counter(
                timezone.localtime(o.created_at).hour for o in orders if _within(o.created_at, p)
            )
            paid = [o for o in orders if _within(o.paid_at, p)]
            paid_n = Counter(timezone.localtime(o.paid_at).hour for o in paid)
            gmv = defaultdict(int)
            for o in paid:
                gmv[timezone.localtime(o.paid_at).hour] += o.paid_fen
        else:
            keys = p.dates()
            placed = Counter(day(o.created_at) for o in orders if _within(o.created_at, p))
            paid = [o for o in orders if _within(o.paid_at, p)]
            paid_n = Counter(day(o.paid_at) for o in paid)
            gmv = defaultdict(int)
            for o in paid:
                gmv[day(o.paid_at)] += o.paid_fen
        return [placed[k] for k in keys], [paid_n[k] for k in keys], [gmv[k] for k in keys]

    now, before = series(period), series(period.previous)
    return {
        "orders": now[0],
        "paid_orders": now[1],
        "gmv_fen": now[2],
        "previous": {"orders": before[0], "paid_orders": before[1], "gmv_fen": before[2]},
    }


def expected_by(shop, period, key_of) -> dict:
    """{key: (paid orders, amount)} of paid orders grouped by key_of(order)."""
    found = defaultdict(lambda: [0, 0])
    for o in paid_orders(shop, period):
        key = key_of(o)
        if key is None:
            continue
        found[key][0] += 1
        found[key][1] += o.paid_fen
    return {k: tuple(v) for k, v in found.items()}


def expected_products(shop, period) -> dict:
    found = defaultdict(lambda: [set(), 0])
    ids = {o.pk for o in paid_orders(shop, period)}
    for item in OrderItem.objects.filter(order_id__in=ids):
        found[str(item.product_id)][0].add(item.order_id)
        found[str(item.product_id)][1] += item.paid_fen
    return {k: (len(v[0]), v[1]) for k, v in found.items()}


def expected_bands(shop, period) -> dict:
    found = expected_by(shop, period, lambda o: str(band_of(o.paid_fen)))
    return {str(b): found.get(str(b), (0, 0)) for b in BANDS}


def expected_buyers(shop, period) -> dict:
    """New: first purchase ever in the period; returning: paid before it too."""
    orders = [o for o in Order.objects.filter(shop=shop) if o.paid_at is not None]
    first = {}
    for o in orders:
        d = day(o.paid_at)
        first[o.buyer_id] = min(first.get(o.buyer_id, d), d)
    active = {o.buyer_id for o in orders if _within(o.paid_at, period)}
    new = sum(1 for b in active if first[b] >= period.start)
    return {"new": new, "returning": len(active) - new}


def expected_hours(shop, period) -> dict:
    orders = list(Order.objects.filter(shop=shop))
    placed = Counter(
        timezone.localtime(o.created_at).hour for o in orders if _within(o.created_at, period)
    )
    paid = Counter(timezone.localtime(o.paid_at).hour for o in orders if _within(o.paid_at, period))
    return {h: (placed[h], paid[h]) for h in range(24)}
