"""售后 pages: list, detail and the merchant's answers."""

import pytest
from django.urls import reverse

from orders import aftersales
from orders.factories import OrderFactory
from orders.models import AfterSaleStatus, AfterSaleType, OrderStatus
from shops.roles import Role

from .aftersale_support import refund_request

pytestmark = pytest.mark.django_db


def test_aftersale_list_tabs_and_filter(as_member, owner, shop, paid):
    # given
    aftersale = refund_request(paid)
    refund_request(OrderFactory(shop=shop))
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
    aftersale = refund_request(paid)
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
    aftersale = refund_request(paid)
    # when
    response = as_member(owner).post(reverse("aftersales:reject", args=[aftersale.pk]), {})
    # then
    aftersale.refresh_from_db()
    assert response.status_code == 400
    assert "请填写拒绝原因" in response.content.decode()
    assert aftersale.status == AfterSaleStatus.AWAITING_MERCHANT


def test_rejecting_with_a_reason(as_member, owner, paid):
    aftersale = refund_request(paid)
    as_member(owner).post(
        reverse("aftersales:reject", args=[aftersale.pk]), {"reason": "商品已打包"}
    )
    aftersale.refresh_from_db()
    assert (aftersale.status, aftersale.reject_reason) == (AfterSaleStatus.REJECTED, "商品已打包")


def test_confirming_receipt_of_a_return_refunds(as_member, owner, shop):
    # given: a shipped order whose buyer sent the goods back
    order = OrderFactory(shop=shop, status=OrderStatus.SHIPPED)
    aftersale = refund_request(order, type=AfterSaleType.RETURN_REFUND)
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
    aftersale = refund_request(paid)
    client = as_member(owner)
    # when: confirming receipt of goods never sent back
    response = client.post(reverse("aftersales:receive", args=[aftersale.pk]), follow=True)
    # then
    assert "不能确认收货" in response.content.decode()


def test_operator_cannot_handle_aftersales(as_member, make_member, shop, paid):
    aftersale = refund_request(paid)
    client = as_member(make_member(Role.OPERATOR, shop=shop))
    page = client.get(reverse("aftersales:detail", args=[aftersale.pk])).content.decode()
    response = client.post(reverse("aftersales:agree", args=[aftersale.pk]))
    assert 'data-testid="agree"' not in page
    assert response.status_code == 403


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
