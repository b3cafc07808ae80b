from datetime import timedelta

import pytest
from django.utils import timezone

from core import pagination
from orders import selectors
from orders.attribution import Attribution
from orders.factories import OrderFactory
from orders.filters import OrderFilter
from orders.models import (
    Channel,
    Order,
    OrderStatus,
    RemarkFlag,
    TrafficSource,
)
from products.factories import ProductFactory, SkuFactory
from shops.factories import CreatorFactory

from .aftersale_support import refund_request

pytestmark = pytest.mark.django_db


def _filtered(shop_context, **params):
    filterset = OrderFilter(params, queryset=selectors.order_list(context=shop_context))
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("order_no", flat=True))


@pytest.fixture
def plain(shop):
    """An order in 浙江省 from the shop's own page, placed 10 days ago."""
    order = OrderFactory(shop=shop)
    ten_days_ago = timezone.now() - timedelta(days=10)
    Order.objects.filter(pk=order.pk).update(created_at=ten_days_ago, paid_at=ten_days_ago)
    return order


@pytest.fixture
def special(shop):
    """An order that differs from `plain` in every filtered field."""
    product = ProductFactory(shop=shop, title="羊毛围巾", sku=None)
    sku = SkuFactory(product=product, spec_text="颜色:灰", outer_code="WJ-01")
    creator = CreatorFactory(nickname="小鹿同学", douyin_id="xiaolu88")
    order = OrderFactory(
        shop=shop,
        lines=[(sku.pk, 1)],
        receiver={
            "name": "李四",
            "phone": "13900001111",
            "province": "广东省",
            "city": "广州市",
            "district": "天河区",
            "detail": "体育西路 1 号",
        },
        attribution=Attribution(
            creator_id=creator.pk, channel=Channel.ALLIANCE, traffic_source=TrafficSource.VIDEO
        ),
    )
    Order.objects.filter(pk=order.pk).update(remark_flag=RemarkFlag.RED)
    return order


@pytest.mark.parametrize(
    "params",
    [
        {"item_no": "ITEM"},
        {"product_title": "围巾"},
        {"product_id": "PRODUCT"},
        {"outer_code": "WJ-01"},
        {"order_no": "ORDER"},
        {"receiver_name": "李四"},
        {"receiver_phone": "13900001111"},
        {"province": "广东省"},
        {"creator": "小鹿"},
        {"creator": "xiaolu88"},
        {"channel": str(Channel.ALLIANCE)},
        {"traffic_source": TrafficSource.VIDEO},
        {"flag": str(RemarkFlag.RED)},
        {"created_from": "TODAY"},
        {"paid_from": "TODAY"},
    ],
    ids=lambda p: "-".join(f"{k}={v}" for k, v in p.items()),
)
def test_each_filter_finds_only_the_matching_order(shop_context, plain, special, params):
    # given: placeholders for values only known once the orders exist
    item = special.items.get()
    known = {
        "ITEM": item.item_no,
        "PRODUCT": str(item.product_id),
        "ORDER": special.order_no,
        "TODAY": timezone.localdate().isoformat(),
    }
    params = {key: known.get(value, value) for key, value in params.items()}
    # when
    found = _filtered(shop_context, **params)
    # then
    assert found == {special.order_no}


def test_date_range_to_is_inclusive_of_the_whole_day(shop_context, plain, special):
    # given
    day = timezone.localtime(timezone.now() - timedelta(days=10)).date().isoformat()
    # when
    found = _filtered(shop_context, created_from=day, created_to=day)
    # then
    assert found == {plain.order_no}


@pytest.mark.parametrize(
    ("hours_left", "deadline", "expected"),
    [(3, "soon", True), (3, "overdue", False), (-2, "overdue", True), (10, "soon", False)],
)
def test_deadline_filters(shop_context, shop, hours_left, deadline, expected):
    # given
    order = OrderFactory(shop=shop)
    Order.objects.filter(pk=order.pk).update(
        exp_ship_time=timezone.now() + timedelta(hours=hours_left)
    )
    # when
    found = _filtered(shop_context, deadline=deadline)
    # then
    assert (order.order_no in found) is expected


def test_tabs_filter_by_status_and_open_aftersale(shop_context, shop):
    # given: one order in each status, and a to-ship order with an open refund request
    # (105 已支付 is left out: payment is accepted at once, as in production)
    statuses = [s for s in OrderStatus.values if s != OrderStatus.PAID]
    orders = {status: OrderFactory(shop=shop, status=status) for status in statuses}
    disputed = OrderFactory(shop=shop)
    refund_request(disputed)
    # when
    by_tab = {
        tab: _filtered(shop_context, tab=tab)
        for tab in ("unpaid", "to_ship", "shipped", "completed", "closed", "aftersale")
    }
    # then
    s = OrderStatus
    assert by_tab["unpaid"] == {orders[s.UNPAID].order_no}
    assert by_tab["to_ship"] == {
        orders[s.AWAITING_SHIPMENT].order_no,
        orders[s.PARTIALLY_SHIPPED].order_no,
        disputed.order_no,
    }
    assert by_tab["shipped"] == {orders[s.SHIPPED].order_no}
    assert by_tab["completed"] == {orders[s.COMPLETED].order_no}
    assert by_tab["closed"] == {orders[s.CANCELLED].order_no}
    assert by_tab["aftersale"] == {disputed.order_no}


def test_tab_counts_are_per_status_in_one_query(
    shop_context, shop, bare_order, django_assert_num_queries
):
    # given
    for status in [1, 2, 2, 101, 3, 5, 5, 5, 4]:
        bare_order(status)
    # when
    with django_assert_num_queries(1):
        counts = selectors.order_tab_counts(context=shop_context)
    # then
    assert {key: str(count) for key, count in counts.items()} == {
        "all": "9",
        "unpaid": "1",
        "to_ship": "3",
        "shipped": "1",
        "completed": "3",
        "closed": "1",
        "aftersale": "0",
    }


def test_counts_stop_at_the_cap(shop_context, bare_order, monkeypatch):
    # given
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    for _ in range(4):
        bare_order(OrderStatus.COMPLETED)
    # when
    counts = selectors.order_tab_counts(context=shop_context)
    # then
    assert counts["all"].capped and str(counts["all"]) == "2+"
    assert str(counts["unpaid"]) == "0"


def _walk(queryset, sort, size):
    """Every page forward, then every page back from the last one."""
    forward, cursor = [], None
    while True:
        page = pagination.keyset_page(queryset, sort=sort, cursor=cursor, size=size)
        forward.append([row.pk for row in page.rows])
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    backward, cursor = [], page.previous_cursor
    while cursor:
        page = pagination.keyset_page(queryset, sort=sort, cursor=cursor, size=size)
        backward.insert(0, [row.pk for row in page.rows])
        cursor = page.previous_cursor
    return forward, backward


@pytest.mark.parametrize("sort", ["created", "paid", "ship_deadline"])
def test_keyset_pages_have_no_duplicates_or_gaps(shop_context, bare_order, sort):
    # given: 23 orders, many sharing a timestamp so the id breaks the ties
    now = timezone.now()
    for n in range(23):
        at = now - timedelta(minutes=n // 4)
        order = bare_order(OrderStatus.AWAITING_SHIPMENT, paid_at=at, exp_ship_time=at)
        Order.objects.filter(pk=order.pk).update(created_at=at)
    spec = selectors.ORDER_SORTS[sort]
    queryset = selectors.order_list(context=shop_context)
    expected = list(
        queryset.order_by(
            f"{'-' if spec.descending else ''}{spec.field}", "-pk" if spec.descending else "pk"
        ).values_list("pk", flat=True)
    )
    # when
    forward, backward = _walk(queryset, spec, size=5)
    # then
    assert [len(page) for page in forward] == [5, 5, 5, 5, 3]
    assert sum(forward, []) == expected
    assert backward == forward[:-1]


def test_first_page_has_no_previous_cursor(shop_context, bare_order):
    # given
    bare_order(OrderStatus.UNPAID)
    # when
    page = pagination.keyset_page(
        selectors.order_list(context=shop_context),
        sort=selectors.ORDER_SORTS["created"],
        cursor=None,
        size=20,
    )
    # then
    assert (page.previous_cursor, page.next_cursor) == (None, None)


def test_a_forged_cursor_is_refused(shop_context):
    with pytest.raises(pagination.BadCursor):
        pagination.keyset_page(
            selectors.order_list(context=shop_context),
            sort=selectors.ORDER_SORTS["created"],
            cursor="not-a-cursor",
            size=20,
        )


def test_home_summary_counts_and_sums_compensation(
    shop_context, shop, bare_order, django_assert_num_queries
):
    # given: two overdue orders (¥30 → ¥5 minimum, ¥300 → 10% = ¥30), one due soon
    now = timezone.now()
    bare_order(2, paid_fen=3000, goods_total_fen=3000, exp_ship_time=now - timedelta(hours=1))
    bare_order(101, paid_fen=30000, goods_total_fen=30000, exp_ship_time=now - timedelta(hours=9))
    bare_order(2, exp_ship_time=now + timedelta(hours=2))
    bare_order(3, exp_ship_time=now - timedelta(hours=5))
    # when
    with django_assert_num_queries(1):
        summary = selectors.order_home_summary(context=shop_context)
    # then
    assert (summary.to_ship.value, summary.due_soon.value, summary.overdue.value) == (3, 1, 2)
    assert summary.compensation_fen == 500 + 3000


def test_selectors_see_only_the_shops_orders(shop_context, other_owner, context_for, bare_order):
    # given
    bare_order(OrderStatus.UNPAID)
    # when
    theirs = selectors.order_tab_counts(context=context_for(other_owner))
    # then
    assert theirs["all"].value == 0
