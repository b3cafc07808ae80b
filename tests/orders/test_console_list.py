"""订单管理 list: rows, filters, tabs, pages, query budget and 批量备注."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.factories import RECEIVER, OrderFactory
from orders.models import Order, OrderStatus, RemarkFlag
from products.factories import ProductFactory, SkuFactory
from shops.roles import Role

pytestmark = pytest.mark.django_db


def test_list_shows_a_row_with_masked_receiver_and_amount(as_member, owner, paid):
    # when
    response = as_member(owner).get(reverse("orders:list"))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert paid.order_no in html
    assert "¥99.00" in html
    assert "张*" in html and "138****5678" in html
    assert "13812345678" not in html


def test_list_filters_by_receiver_phone(as_member, owner, shop, paid):
    # given
    other = OrderFactory(shop=shop, receiver={**RECEIVER, "phone": "13700000000"})
    # when
    response = as_member(owner).get(reverse("orders:list"), {"receiver_phone": "13700000000"})
    # then
    orders = [row["order"].pk for row in response.context["rows"]]
    assert orders == [other.pk]


def test_tabs_show_counts(as_member, owner, shop, paid):
    # given
    OrderFactory(shop=shop, status=OrderStatus.UNPAID)
    # when
    response = as_member(owner).get(reverse("orders:list"), {"tab": "to_ship"})
    # then
    tabs = {tab["key"]: (str(tab["count"]), tab["active"]) for tab in response.context["tabs"]}
    assert tabs["all"] == ("2", False)
    assert tabs["to_ship"] == ("1", True)
    assert tabs["unpaid"] == ("1", False)
    assert [row["order"].pk for row in response.context["rows"]] == [paid.pk]


def test_overdue_order_shows_its_compensation(as_member, owner, paid):
    # given
    Order.objects.filter(pk=paid.pk).update(exp_ship_time=timezone.now() - timedelta(hours=3))
    # when
    html = as_member(owner).get(reverse("orders:list")).content.decode()
    # then: 10% of ¥99.00
    assert "已超时" in html and "赔付 ¥9.90" in html


def test_bad_date_shows_the_field_error(as_member, owner, paid):
    response = as_member(owner).get(reverse("orders:list"), {"created_from": "yesterday"})
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "created_from" in response.context["filter"].errors


def test_next_page_follows_the_cursor(as_member, owner, shop, bare_order):
    # given
    for _ in range(25):
        bare_order(OrderStatus.UNPAID)
    client = as_member(owner)
    first = client.get(reverse("orders:list"))
    # when
    second = client.get(f"{reverse('orders:list')}?{first.context['next_query']}")
    # then
    first_ids = {row["order"].pk for row in first.context["rows"]}
    second_ids = {row["order"].pk for row in second.context["rows"]}
    assert (len(first_ids), len(second_ids)) == (20, 5)
    assert not first_ids & second_ids
    assert second.context["previous_query"] and not second.context["next_query"]


def test_a_broken_cursor_goes_back_to_the_first_page(as_member, owner):
    response = as_member(owner).get(reverse("orders:list"), {"cursor": "garbage", "tab": "all"})
    assert response.status_code == 302
    assert "cursor" not in response.url and "tab=all" in response.url


def _orders_with_two_items(shop, count):
    product = ProductFactory(shop=shop, sku=None)
    skus = [SkuFactory(product=product, spec_text=f"颜色:{c}", stock=500) for c in "红蓝"]
    for _ in range(count):
        OrderFactory(shop=shop, lines=[(skus[0].pk, 1), (skus[1].pk, 2)])


@pytest.mark.parametrize("count", [5, 50])
def test_list_query_count_does_not_grow_with_the_page(
    as_member, owner, shop, count, django_assert_max_num_queries
):
    # given
    _orders_with_two_items(shop, count)
    client = as_member(owner)
    # when: session, user, context (2), counts, page, items — whatever the page size
    with django_assert_max_num_queries(8):
        response = client.get(reverse("orders:list"), {"size": 50})
    # then
    assert len(response.context["rows"]) == count


def test_bulk_remark_and_flag(as_member, owner, shop, paid):
    # given
    second = OrderFactory(shop=shop)
    untouched = OrderFactory(shop=shop)
    # when
    response = as_member(owner).post(
        reverse("orders:bulk_remark"),
        {
            "order_ids": [paid.pk, second.pk],
            "remark": "顺丰发货",
            "flag": RemarkFlag.ORANGE,
            "next": "/orders/?tab=to_ship",
        },
    )
    # then
    assert response.status_code == 302 and response.url == "/orders/?tab=to_ship"
    rows = Order.objects.filter(pk__in=[paid.pk, second.pk, untouched.pk]).order_by("pk")
    assert [(o.seller_remark, o.remark_flag) for o in rows] == [
        ("顺丰发货", RemarkFlag.ORANGE),
        ("顺丰发货", RemarkFlag.ORANGE),
        ("", None),
    ]


def test_bulk_flag_alone_keeps_the_remarks(as_member, owner, shop, paid):
    # given
    Order.objects.filter(pk=paid.pk).update(seller_remark="旧备注")
    # when
    as_member(owner).post(
        reverse("orders:bulk_remark"), {"order_ids": [paid.pk], "remark": "", "flag": 5}
    )
    # then
    paid.refresh_from_db()
    assert (paid.seller_remark, paid.remark_flag) == ("旧备注", RemarkFlag.RED)


def test_bulk_remark_without_selection_says_so(as_member, owner):
    response = as_member(owner).post(reverse("orders:bulk_remark"), {"remark": "x"}, follow=True)
    assert "请先勾选订单。" in response.content.decode()


def test_bulk_remark_ignores_another_shops_orders(as_member, owner, other_owner, paid):
    # when
    as_member(other_owner).post(
        reverse("orders:bulk_remark"), {"order_ids": [paid.pk], "remark": "偷看"}
    )
    # then
    paid.refresh_from_db()
    assert paid.seller_remark == ""


def test_warehouse_cannot_remark(as_member, make_member, shop, paid):
    warehouse = make_member(Role.WAREHOUSE, shop=shop)
    response = as_member(warehouse).post(
        reverse("orders:bulk_remark"), {"order_ids": [paid.pk], "remark": "x"}
    )
    assert response.status_code == 403
