from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orders import aftersales
from orders.factories import RECEIVER, OrderFactory
from orders.models import (
    AfterSaleStatus,
    AfterSaleType,
    Order,
    OrderEvent,
    OrderEventKind,
    OrderStatus,
    RemarkFlag,
)
from products.factories import ProductFactory, SkuFactory
from shops.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_member(client):
    def login(membership):
        client.force_login(membership.user)
        return client

    return login


@pytest.fixture
def paid(shop):
    """A paid order (备货中) of one ¥99.00 T-shirt to 张三 13812345678."""
    return OrderFactory(shop=shop)


def _refund_request(order, type=AfterSaleType.UNSHIPPED_REFUND_ONLY):
    item = order.items.get()
    return aftersales.aftersale_open(
        item_id=item.pk, type=type, quantity=1, refund_fen=item.paid_fen, reason="拍错了"
    )


def _pages(order_id, aftersale_id):
    """Every console URL that takes an order or after-sale id, with its method."""
    return [
        ("get", reverse("orders:detail", args=[order_id])),
        ("post", reverse("orders:remark", args=[order_id])),
        ("post", reverse("orders:reveal", args=[order_id])),
        ("post", reverse("orders:cancel", args=[order_id])),
        ("get", reverse("aftersales:detail", args=[aftersale_id])),
        ("post", reverse("aftersales:agree", args=[aftersale_id])),
        ("post", reverse("aftersales:reject", args=[aftersale_id])),
        ("post", reverse("aftersales:receive", args=[aftersale_id])),
    ]


# --- access ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["orders:list", "aftersales:list"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_another_shops_order_and_aftersale_are_404_everywhere(as_member, other_owner, paid):
    # given: an order with an after-sale in the owner's shop; the other owner signed in
    aftersale = _refund_request(paid)
    client = as_member(other_owner)
    # when
    answers = {
        url: getattr(client, method)(url).status_code
        for method, url in _pages(paid.pk, aftersale.pk)
    }
    # then
    assert set(answers.values()) == {404}, answers


def test_sidebar_lights_up_orders_and_aftersales_separately(as_member, owner):
    client = as_member(owner)
    orders_nav = client.get(reverse("orders:list")).context["nav_sections"]
    aftersales_nav = client.get(reverse("aftersales:list")).context["nav_sections"]
    assert [s["key"] for s in orders_nav if s["active"]] == ["orders"]
    assert [s["key"] for s in aftersales_nav if s["active"]] == ["aftersales"]


# --- list -----------------------------------------------------------------------------


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


# --- detail ---------------------------------------------------------------------------


def test_detail_shows_items_amounts_timeline_and_masked_receiver(as_member, owner, paid):
    # when
    response = as_member(owner).get(reverse("orders:detail", args=[paid.pk]))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert paid.items.get().item_no in html
    assert "实付金额" in html and "¥99.00" in html
    assert "138****5678" in html and "浙江省杭州市西湖区****" in html
    assert "13812345678" not in html and "文三路" not in html
    assert "提交订单" in html  # the timeline
    assert 'data-testid="reveal"' in html


def test_reveal_shows_the_receiver_and_logs_who(as_member, owner, paid):
    # when
    response = as_member(owner).post(reverse("orders:reveal", args=[paid.pk]))
    # then
    html = response.content.decode()
    assert "13812345678" in html and "文三路 100 号" in html
    event = OrderEvent.objects.get(order=paid, kind=OrderEventKind.RECEIVER_REVEAL)
    assert event.actor == owner.user


def test_reveal_through_htmx_answers_the_receiver_block(as_member, owner, paid):
    response = as_member(owner).post(
        reverse("orders:reveal", args=[paid.pk]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="receiver"') and "13812345678" in html


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.WAREHOUSE])
def test_reveal_is_refused_without_the_permission(as_member, make_member, shop, paid, role):
    # given
    client = as_member(make_member(role, shop=shop))
    # when
    page = client.get(reverse("orders:detail", args=[paid.pk])).content.decode()
    response = client.post(reverse("orders:reveal", args=[paid.pk]))
    # then
    assert 'data-testid="reveal"' not in page
    assert response.status_code == 403
    assert not OrderEvent.objects.filter(order=paid, kind=OrderEventKind.RECEIVER_REVEAL).exists()


def test_customer_service_may_reveal(as_member, make_member, shop, paid):
    service = make_member(Role.SERVICE, shop=shop)
    response = as_member(service).post(reverse("orders:reveal", args=[paid.pk]))
    assert response.status_code == 200 and "13812345678" in response.content.decode()


def test_remark_on_the_detail_page(as_member, owner, paid):
    # when
    response = as_member(owner).post(
        reverse("orders:remark", args=[paid.pk]), {"remark": "  加急  ", "flag": "1"}
    )
    # then
    assert response.status_code == 302
    paid.refresh_from_db()
    assert (paid.seller_remark, paid.remark_flag) == ("加急", RemarkFlag.PURPLE)


def test_merchant_cancels_an_unpaid_order(as_member, owner, shop):
    # given
    order = OrderFactory(shop=shop, status=OrderStatus.UNPAID)
    # when
    response = as_member(owner).post(
        reverse("orders:cancel", args=[order.pk]), {"reason": "买家要求取消"}
    )
    # then
    order.refresh_from_db()
    assert response.status_code == 302
    assert (order.status, order.cancel_reason) == (OrderStatus.CANCELLED, "买家要求取消")


def test_cancelling_a_paid_order_shows_the_services_reason(as_member, owner, paid):
    response = as_member(owner).post(
        reverse("orders:cancel", args=[paid.pk]), {"reason": "不要了"}, follow=True
    )
    assert "已支付，不能直接取消" in response.content.decode()
    paid.refresh_from_db()
    assert paid.status == OrderStatus.AWAITING_SHIPMENT


# --- after-sales ----------------------------------------------------------------------


def test_aftersale_list_tabs_and_filter(as_member, owner, shop, paid):
    # given
    aftersale = _refund_request(paid)
    _refund_request(OrderFactory(shop=shop))
    # when
    response = as_member(owner).get(
        reverse("aftersales:list"), {"tab": "pending", "order_no": paid.order_no}
    )
    # then
    assert [a.pk for a in response.context["page"].rows] == [aftersale.pk]
    tabs = {tab["key"]: str(tab["count"]) for tab in response.context["tabs"]}
    assert (tabs["all"], tabs["pending"], tabs["6"], tabs["12"]) == ("2", "2", "2", "0")


def test_agreeing_a_refund_refunds_it(as_member, owner, paid):
    # given
    aftersale = _refund_request(paid)
    # when
    response = as_member(owner).post(reverse("aftersales:agree", args=[aftersale.pk]))
    # then
    aftersale.refresh_from_db()
    paid.refresh_from_db()
    assert response.status_code == 302
    assert aftersale.status == AfterSaleStatus.SUCCEEDED
    assert paid.status == OrderStatus.CANCELLED  # every item refunded before shipping


def test_rejecting_needs_a_reason(as_member, owner, paid):
    # given
    aftersale = _refund_request(paid)
    # when
    response = as_member(owner).post(reverse("aftersales:reject", args=[aftersale.pk]), {})
    # then
    aftersale.refresh_from_db()
    assert response.status_code == 400
    assert "请填写拒绝原因" in response.content.decode()
    assert aftersale.status == AfterSaleStatus.AWAITING_MERCHANT


def test_rejecting_with_a_reason(as_member, owner, paid):
    aftersale = _refund_request(paid)
    as_member(owner).post(
        reverse("aftersales:reject", args=[aftersale.pk]), {"reason": "商品已打包"}
    )
    aftersale.refresh_from_db()
    assert (aftersale.status, aftersale.reject_reason) == (AfterSaleStatus.REJECTED, "商品已打包")


def test_confirming_receipt_of_a_return_refunds(as_member, owner, shop):
    # given: a shipped order whose buyer sent the goods back
    order = OrderFactory(shop=shop, status=OrderStatus.SHIPPED)
    aftersale = _refund_request(order, type=AfterSaleType.RETURN_REFUND)
    client = as_member(owner)
    client.post(reverse("aftersales:agree", args=[aftersale.pk]))
    aftersales.aftersale_buyer_return(aftersale_id=aftersale.pk, carrier="顺丰", tracking_no="SF1")
    # when
    client.post(reverse("aftersales:receive", args=[aftersale.pk]))
    # then
    aftersale.refresh_from_db()
    assert aftersale.status == AfterSaleStatus.SUCCEEDED


def test_an_action_the_status_refuses_shows_the_services_message(as_member, owner, paid):
    # given
    aftersale = _refund_request(paid)
    client = as_member(owner)
    # when: confirming receipt of goods never sent back
    response = client.post(reverse("aftersales:receive", args=[aftersale.pk]), follow=True)
    # then
    assert "不能确认收货" in response.content.decode()


def test_operator_cannot_handle_aftersales(as_member, make_member, shop, paid):
    aftersale = _refund_request(paid)
    client = as_member(make_member(Role.OPERATOR, shop=shop))
    page = client.get(reverse("aftersales:detail", args=[aftersale.pk])).content.decode()
    response = client.post(reverse("aftersales:agree", args=[aftersale.pk]))
    assert 'data-testid="agree"' not in page
    assert response.status_code == 403


# --- 首页 -------------------------------------------------------------------------------


def test_home_cards_count_deadlines_and_pending_aftersales(as_member, owner, shop, paid):
    # given: one overdue order (¥99.00 → ¥9.90 at stake) and one pending refund
    Order.objects.filter(pk=paid.pk).update(exp_ship_time=timezone.now() - timedelta(hours=1))
    _refund_request(OrderFactory(shop=shop))
    # when
    cards = {c.label: c for c in as_member(owner).get(reverse("console:home")).context["cards"]}
    # then
    assert cards["待发货"].value == "2"
    assert cards["已超时"].value == "1" and cards["已超时"].hint == "赔付风险 ¥9.90"
    assert "deadline=overdue" in cards["已超时"].url
    assert cards["售后待处理"].value == "1"


def test_aftersale_detail_says_the_item_total_is_a_total(as_member, owner, shop, sku):
    # given: two ¥99.00 T-shirts in one line, one of them asked back
    order = OrderFactory(shop=shop, lines=[(sku.pk, 2)])
    item = order.items.get()
    aftersale = aftersales.aftersale_open(
        item_id=item.pk,
        type=AfterSaleType.UNSHIPPED_REFUND_ONLY,
        quantity=1,
        refund_fen=9900,
        reason="拍错了",
    )
    # when
    html = as_member(owner).get(reverse("aftersales:detail", args=[aftersale.pk]))
    # then: ¥198.00 is the line's total, not a unit price "× 2"
    paid = html.content.decode().split('data-testid="item-paid">')[1].split("</dd>")[0]
    assert "¥198.00" in paid and "共 2 件" in paid and "单价 ¥99.00" in paid
    assert "×" not in paid


def test_the_english_console_shows_the_timeline_in_english(client, owner, paid):
    # given: events written by Chinese requests (the factory pays through the services)
    client.force_login(owner.user)
    # when
    page = client.get(
        reverse("orders:detail", args=[paid.pk]), headers={"accept-language": "en"}
    ).content.decode()
    # then
    assert "Order placed" in page and "Payment confirmed; order is being prepared" in page
    assert "提交订单" not in page and "支付已确认" not in page
