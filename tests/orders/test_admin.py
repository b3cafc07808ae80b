"""Orders in /admin/: found by number, read-only; 关闭订单 and 消息推送's pause, resume and
重新推送 are actions that call the services."""

import pytest
from django.urls import reverse

from orders.factories import OrderFactory
from orders.models import Order, OrderEvent, OrderStatus
from orders.webhooks.factories import delivery_make, endpoint_make
from orders.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests.core.admin_support import messages_of, post_action
from tests.orders.aftersale_support import refund_request

pytestmark = pytest.mark.django_db


def test_cancel_action_closes_an_unpaid_order_and_records_who(admin_client, admin_user, owner):
    # given
    order = OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
    # when
    response = post_action(admin_client, Order, "cancel", [order], cancel_reason="恶意下单")
    # then
    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == (OrderStatus.CANCELLED, "恶意下单")
    event = OrderEvent.objects.filter(order=order, to_status=OrderStatus.CANCELLED).get()
    assert (event.from_status, event.actor) == (OrderStatus.UNPAID, admin_user)
    assert "已关闭 1 个订单。" in messages_of(response)


def test_cancel_action_refuses_a_paid_order_by_its_number(admin_client, owner):
    # given
    order = OrderFactory(shop=owner.shop)
    # when
    response = post_action(admin_client, Order, "cancel", [order], cancel_reason="买家要求")
    # then
    assert any(m.startswith(f"{order.order_no}：") for m in messages_of(response))
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_SHIPMENT
    assert not OrderEvent.objects.filter(order=order, to_status=OrderStatus.CANCELLED).exists()


def test_cancel_action_without_a_reason_is_refused(admin_client, owner):
    # given
    order = OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
    # when
    response = post_action(admin_client, Order, "cancel", [order], cancel_reason="")
    # then
    assert any("请填写取消原因" in m for m in messages_of(response))
    assert Order.objects.get(pk=order.pk).status == OrderStatus.UNPAID


def test_an_operator_finds_an_after_sale_by_its_order_number(admin_client, owner):
    # given
    order = OrderFactory(shop=owner.shop)
    aftersale = refund_request(order, reason="不想要了")
    # when
    listing = admin_client.get(reverse("admin:orders_aftersale_changelist"), {"q": order.order_no})
    # then
    assert aftersale.aftersale_no in listing.content.decode()


def test_pause_and_resume_actions_go_through_the_endpoint_services(admin_client, owner):
    # given
    endpoint = endpoint_make(shop=owner.shop)
    # when
    post_action(admin_client, WebhookEndpoint, "pause", [endpoint])
    paused = WebhookEndpoint.objects.get(pk=endpoint.pk)
    post_action(admin_client, WebhookEndpoint, "resume", [endpoint])
    resumed = WebhookEndpoint.objects.get(pk=endpoint.pk)
    # then
    assert not paused.is_active and paused.paused_at and not paused.paused_by_failures
    assert resumed.is_active and resumed.paused_at is None


def test_redeliver_action_sends_the_same_event_once_more(admin_client, owner):
    # given
    delivery = delivery_make(shop=owner.shop)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)
    # when
    response = post_action(admin_client, WebhookDelivery, "redeliver", [delivery])
    # then
    again = WebhookDelivery.objects.exclude(pk=delivery.pk).get()
    assert (again.event_id, again.endpoint_id) == (delivery.event_id, delivery.endpoint_id)
    assert again.status == DeliveryStatus.PENDING
    assert "已重新推送 1 条。" in messages_of(response)


def test_the_endpoint_page_never_shows_the_secret(admin_client, owner):
    endpoint = endpoint_make(shop=owner.shop, secret="whsec_do_not_show")
    page = admin_client.get(reverse("admin:orders_webhookendpoint_change", args=[endpoint.pk]))
    assert page.status_code == 200
    assert endpoint.secret_encrypted not in page.content.decode()
