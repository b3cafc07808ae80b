"""数据's definitions on hand-made cases: Beijing day boundaries, refunds and
cancellations, empty periods, 环比 and the period picker."""

from datetime import date

import pytest

from orders import services
from orders.stats import selectors
from orders.stats.periods import BadPeriod, Period, parse_period, preset_period
from orders.stats.views import headline
from products.factories import ProductFactory, SkuFactory

from .stats_support import Clock, bj, place, refund_all

pytestmark = pytest.mark.django_db

DAY = Period(date(2026, 11, 10), date(2026, 11, 10))


@pytest.fixture
def sku(owner):
    return SkuFactory(product=ProductFactory(shop=owner.shop, sku=None), price_fen=5000, stock=99)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, bj(2026, 11, 10, 12))


def _pay(order, paid_at):
    from orders.factories import pay

    return pay(order, paid_at=paid_at)


def test_an_order_paid_at_2330_beijing_is_that_days(owner, context_for, sku, clock):
    # given: 23:30 Beijing is 15:30 UTC the same day; 00:30 is the next day
    clock.now = bj(2026, 11, 10, 23, 0)
    _pay(place(owner.shop, [(sku.pk, 1)]), bj(2026, 11, 10, 23, 30))
    _pay(place(owner.shop, [(sku.pk, 1)]), bj(2026, 11, 11, 0, 30))
    # when
    today = selectors.overview(context=context_for(owner), period=DAY)
    hours = selectors.hours(context=context_for(owner), period=DAY)
    # then
    assert (today["paid_orders"], today["gmv_fen"]) == (1, 5000)
    assert today["orders"] == 2  # both placed at 23:00 on the 10th
    assert hours["rows"][23]["paid_orders"] == 1 and hours["peaks"] == [23]


def test_a_refunded_and_cancelled_order_stays_in_gmv_and_its_refund_counts_apart(
    owner, context_for, sku, clock
):
    # given
    context = context_for(owner)
    order = _pay(place(owner.shop, [(sku.pk, 2)], shipping=800), bj(2026, 11, 10, 9))
    refund_all(context, order)
    # when
    figures = selectors.overview(context=context, period=DAY)
    # then: paid 10,800 fen; refunded the goods (10,000), the order is 已取消
    assert figures["gmv_fen"] == 10800 and figures["paid_orders"] == 1
    assert figures["refund_fen"] == 10000 and figures["refund_rate"] == 9259
    assert figures["cancelled"] == 1


def test_an_order_never_paid_is_never_in_gmv(owner, context_for, sku, clock):
    # given
    order = place(owner.shop, [(sku.pk, 1)])
    services.order_cancel(order_id=order.pk, reason="不要了")
    # when
    figures = selectors.overview(context=context_for(owner), period=DAY)
    # then
    assert (figures["orders"], figures["paid_orders"], figures["gmv_fen"]) == (1, 0, 0)
    assert figures["cancelled"] == 1


def test_buyers_are_distinct_and_aov_divides_by_them(owner, context_for, sku, clock):
    # given: buyer a pays twice, b once
    for buyer in ("a", "a", "b"):
        _pay(place(owner.shop, [(sku.pk, 1)], buyer=buyer), bj(2026, 11, 10, 10))
    # when
    figures = selectors.overview(context=context_for(owner), period=DAY)
    # then
    assert figures["buyers"] == 2 and figures["aov_fen"] == 7500


def test_an_empty_period_divides_by_nothing(owner, context_for):
    # when
    figures = selectors.overview(context=context_for(owner), period=DAY)
    cards = {card["key"]: card for card in headline(figures)}
    # then
    assert figures["aov_fen"] is None and figures["refund_rate"] is None
    assert cards["aov_fen"]["value"] == "—" and cards["refund_rate"]["value"] == "—"
    assert cards["orders"]["change"] == "—"


def test_change_compares_with_the_previous_equal_period(owner, context_for, sku, clock):
    # given: 3 paid orders on the 9th (the previous day), 4 on the 10th
    for when in [bj(2026, 11, 9, 20)] * 3 + [bj(2026, 11, 10, 20)] * 4:
        clock.now = when
        _pay(place(owner.shop, [(sku.pk, 1)]), when)
    # when
    figures = selectors.overview(context=context_for(owner), period=DAY)
    cards = {card["key"]: card for card in headline(figures)}
    # then
    assert figures["previous"]["paid_orders"] == 3 and figures["paid_orders"] == 4
    assert cards["paid_orders"]["change"] == "+33%"
    assert selectors.change_text(96, 100) == "−4%"


def test_another_shops_orders_are_never_counted(owner, other_owner, context_for, sku, clock):
    # given
    other_sku = SkuFactory(
        product=ProductFactory(shop=other_owner.shop, sku=None), price_fen=7000, stock=9
    )
    _pay(place(other_owner.shop, [(other_sku.pk, 1)]), bj(2026, 11, 10, 10))
    context = context_for(owner)
    # when
    figures = selectors.overview(context=context, period=DAY)
    products = selectors.products(context=context, period=DAY)
    channels = selectors.channels(context=context, period=DAY)
    # then
    assert figures["orders"] == figures["gmv_fen"] == 0
    assert products["by_orders"] == [] and channels["buyers"]["total"] == 0


def test_slow_movers_are_on_sale_in_stock_with_fewest_orders(owner, context_for, sku, clock):
    # given
    idle = SkuFactory(product=ProductFactory(shop=owner.shop, sku=None), price_fen=100, stock=5)
    SkuFactory(product=ProductFactory(shop=owner.shop, sku=None), price_fen=100, stock=0)
    _pay(place(owner.shop, [(sku.pk, 1)]), bj(2026, 11, 10, 10))
    # when
    slow = selectors.products(context=context_for(owner), period=DAY)["slow"]
    # then: the sold-out product is not a slow mover; the idle one comes first
    assert [row["key"] for row in slow] == [str(idle.product_id), str(sku.product_id)]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"from": "2026-11-10"}, "to"),
        ({"from": "2026-11-10", "to": "2026-11-01"}, "from"),
        ({"from": "10/11/2026", "to": "2026-11-12"}, "from"),
        ({"from": "2025-01-01", "to": "2026-11-12"}, "to"),
        ({"period": "decade"}, "period"),
    ],
)
def test_a_bad_period_names_the_field(params, field):
    with pytest.raises(BadPeriod) as caught:
        parse_period(params)
    assert field in caught.value.fields


def test_presets_are_whole_beijing_days():
    # given: Monday 2026-11-30
    today = date(2026, 11, 30)
    # then
    assert preset_period("week", today) == Period(today, today, "week")
    month = preset_period("month", today)
    assert (month.start, month.days, month.previous.start) == (
        date(2026, 11, 1),
        30,
        date(2026, 10, 2),
    )
    seven = preset_period("7d", today)
    assert (seven.start, seven.previous.end) == (date(2026, 11, 24), date(2026, 11, 23))
