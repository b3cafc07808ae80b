"""The rollups stay exact: random trading through the services, then the rollups the
services kept are compared with a rebuild from the orders and with plain Python."""

import io
import random
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection

from orders.stats import selectors
from orders.stats.models import BuyerDay, BuyerGap, CreatorDayStat, ShopDayStat, ShopHourStat
from orders.stats.periods import Period
from products.factories import ProductFactory, SkuFactory
from shops.factories import CreatorFactory

from .stats_support import (
    Clock,
    bj,
    drive,
    expected_bands,
    expected_buyers,
    expected_by,
    expected_hours,
    expected_overview,
    expected_products,
    expected_trend,
)

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        "hours": sorted(
            ShopHourStat.objects.exclude(
                orders=0, paid_orders=0, refunds=0, cancelled=0
            ).values_list(
                "shop_id",
                "day",
                "hour",
                "orders",
                "paid_orders",
                "gmv_fen",
                "refunds",
                "refund_fen",
                "cancelled",
            )
        ),
        "days": sorted(
            ShopDayStat.objects.values_list(
                "shop_id", "day", "dim", "parent", "key", "orders", "amount_fen"
            )
        ),
        "creators": sorted(
            CreatorDayStat.objects.values_list(
                "creator_id", "day", "dim", "key", "orders", "amount_fen"
            )
        ),
        "buyer_days": sorted(
            BuyerDay.objects.values_list("shop_id", "buyer_id", "day", "paid_orders")
        ),
        "gaps": sorted(
            BuyerGap.objects.exclude(buyers=0).values_list("shop_id", "day", "prev_day", "buyers"),
            key=str,
        ),
    }


@pytest.fixture
def trading(monkeypatch, owner, context_for):
    """Two weeks of random trading in the owner's shop, from 2026-11-01 (Beijing)."""
    shop = owner.shop
    rng = random.Random(12)
    clock = Clock(monkeypatch, bj(2026, 11, 1))
    skus = [
        SkuFactory(
            product=ProductFactory(shop=shop, sku=None), price_fen=1000 + 7000 * n, stock=10_000
        )
        for n in range(4)
    ]
    creators = [CreatorFactory(), CreatorFactory()]
    drive(rng, clock, shop, context_for(owner), skus, creators, bj(2026, 11, 1, 0), 14, 160)
    return shop, context_for(owner)


def test_rollups_kept_by_the_services_equal_a_rebuild_from_the_orders(trading):
    # given
    kept = _snapshot()
    # when
    call_command("stats_rebuild", stdout=io.StringIO())
    # then
    assert _snapshot() == kept
    assert kept["hours"] and kept["days"] and kept["creators"] and kept["gaps"]


PERIODS = [
    Period(date(2026, 11, 1), date(2026, 11, 1)),
    Period(date(2026, 11, 3), date(2026, 11, 9)),
    Period(date(2026, 11, 8), date(2026, 11, 15)),
    Period(date(2026, 11, 1), date(2026, 11, 30)),
]


def test_every_figure_matches_a_computation_from_the_rows(trading):
    shop, context = trading
    for period in PERIODS:
        _check_figures(shop, context, period)


def _check_figures(shop, context, period):
    # when
    overview = selectors.overview(context=context, period=period)
    trend = selectors.trend(context=context, period=period)
    products = selectors.products(context=context, period=period)
    provinces = selectors.provinces(context=context, period=period, province="广东省")
    hours = selectors.hours(context=context, period=period)
    bands = selectors.price_bands(context=context, period=period)
    channels = selectors.channels(context=context, period=period)
    # then
    previous = overview.pop("previous")
    assert overview == expected_overview(shop, period)
    assert previous == expected_overview(shop, period.previous)
    want = expected_trend(shop, period)
    assert {k: trend[k] for k in ("orders", "paid_orders", "gmv_fen")} == {
        k: want[k] for k in ("orders", "paid_orders", "gmv_fen")
    }
    assert {k: trend["previous"][k] for k in want["previous"]} == want["previous"]
    found = {r["key"]: (r["orders"], r["amount_fen"]) for r in products["by_orders"]}
    assert found == expected_products(shop, period)
    assert {r["key"]: (r["orders"], r["amount_fen"]) for r in provinces["rows"]} == expected_by(
        shop, period, lambda o: o.receiver_province
    )
    assert {r["key"]: (r["orders"], r["amount_fen"]) for r in provinces["cities"]} == expected_by(
        shop, period, lambda o: o.receiver_city if o.receiver_province == "广东省" else None
    )
    assert {r["hour"]: (r["orders"], r["paid_orders"]) for r in hours["rows"]} == expected_hours(
        shop, period
    )
    assert {r["key"]: (r["orders"], r["amount_fen"]) for r in bands["rows"]} == expected_bands(
        shop, period
    )
    assert {
        r["key"]: (r["orders"], r["amount_fen"]) for r in channels["channels"] if r["orders"]
    } == expected_by(shop, period, lambda o: str(o.channel))
    assert {
        r["key"]: (r["orders"], r["amount_fen"]) for r in channels["sources"] if r["orders"]
    } == expected_by(shop, period, lambda o: o.traffic_source)
    assert {r["key"]: (r["orders"], r["amount_fen"]) for r in channels["creators"]} == expected_by(
        shop, period, lambda o: str(o.creator_id) if o.creator_id else None
    )
    want_buyers = expected_buyers(shop, period)
    assert {k: channels["buyers"][k] for k in ("new", "returning")} == want_buyers
    assert channels["buyers"]["total"] == overview["buyers"]


def test_rebuild_of_one_shop_leaves_the_others(trading, other_owner):
    # given
    shop, _context = trading
    kept = _snapshot()
    # when
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM orders_shophourstat WHERE shop_id = %s", [shop.pk])
    call_command("stats_rebuild", shop=[shop.pk], stdout=io.StringIO())
    # then
    assert _snapshot() == kept


def test_a_long_period_still_counts_each_buyer_once(trading):
    # given
    shop, context = trading
    period = Period(date(2026, 10, 1), date(2026, 11, 30) + timedelta(days=0))
    # when
    figures = selectors.overview(context=context, period=period)
    # then
    assert figures["buyers"] == expected_overview(shop, period)["buyers"]
