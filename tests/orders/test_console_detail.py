"""The order detail page: items, timeline, receiver reveal, remark and cancel."""

import pytest
from django.urls import reverse

from orders.factories import OrderFactory
from orders.models import OrderEvent, OrderEventKind, OrderStatus, RemarkFlag
from shops.roles import Role

pytestmark = pytest.mark.django_db


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
