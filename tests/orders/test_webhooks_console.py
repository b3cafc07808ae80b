"""店铺设置 → 消息推送: owner-only pages, the secret shown once, SSRF refusals, the log."""

import socket

import pytest

from orders.factories import OrderFactory
from orders.models import OrderStatus
from orders.webhooks import services
from orders.webhooks.exceptions import WebhookError
from orders.webhooks.factories import endpoint_make
from orders.webhooks.models import EventType, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.orders.webhook_support import dispatch, receiver  # noqa: F401

pytestmark = pytest.mark.django_db

LIST = "/settings/webhooks/"


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner.user)
    return client


def test_the_owner_registers_an_endpoint_and_sees_the_secret_once(owner_client, receiver):  # noqa: F811
    # when
    response = owner_client.post(
        LIST, {"url": receiver.url, "events": ["order.paid", "order.shipped"]}
    )
    # then
    page = response.content.decode()
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["order.paid", "order.shipped"]
    assert endpoint.secret in page and 'data-testid="new-secret"' in page
    assert endpoint.secret not in owner_client.get(LIST).content.decode()
    assert endpoint.secret not in owner_client.get(f"{LIST}{endpoint.pk}/").content.decode()


def test_an_endpoint_needs_an_event(owner_client, receiver):  # noqa: F811
    # when
    response = owner_client.post(LIST, {"url": receiver.url})
    # then
    assert response.status_code == 200 and not WebhookEndpoint.objects.exists()
    assert "wh-events has-error" in response.content.decode()


@pytest.mark.parametrize("role", ["operator", "service", "warehouse"])
def test_only_the_owner_manages_webhooks(client, make_member, owner, role):
    # given
    member = make_member(role, shop=owner.shop)
    endpoint = endpoint_make(shop=owner.shop)
    client.force_login(member.user)
    # then
    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}{endpoint.pk}/").status_code == 403
    assert client.post(f"{LIST}{endpoint.pk}/pause/").status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://172.16.0.5/hook",
        "http://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[fe80::1]/hook",
        "http://224.0.0.1/hook",
        "http://0.0.0.0/hook",
        "http://100.64.0.1/hook",
        "http://[::ffff:127.0.0.1]/hook",
    ],
)
def test_private_addresses_are_refused_at_registration(settings, owner_client, url):
    # given
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    # when
    response = owner_client.post(LIST, {"url": url, "events": ["order.paid"]})
    # then
    assert "内网、本机或保留地址" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_a_host_that_does_not_resolve_is_refused(settings, owner, context_for):
    # given
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    # when / then
    with pytest.raises(WebhookError, match="无法解析"):
        services.endpoint_create(
            context=context_for(owner), url="https://no-such-host.invalid/h", events=["order.paid"]
        )


def test_a_name_that_now_resolves_inside_is_refused_at_delivery(
    settings,
    owner,
    receiver,  # noqa: F811
    monkeypatch,
):
    # given: an endpoint whose public name later points at 127.0.0.1 (DNS rebinding)
    endpoint_make(shop=owner.shop, url=receiver.url.replace("127.0.0.1", "erp.example.com"))
    OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    real = socket.getaddrinfo
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, *a, **k: real("127.0.0.1" if host == "erp.example.com" else host, *a, **k),
    )
    # when
    dispatch()
    # then: refused before connecting; retried later like any failure
    assert receiver.requests == []
    assert "内网" in WebhookAttempt.objects.get().error


def test_the_endpoint_page_shows_each_attempt(owner, owner_client, receiver):  # noqa: F811
    # given
    receiver.answers = [500]
    endpoint = endpoint_make(shop=owner.shop, url=receiver.url, events=[EventType.ORDER_CREATED])
    OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
    dispatch()
    WebhookDelivery.objects.update(next_attempt_at=WebhookDelivery.objects.get().created_at)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(retry_at=None)  # its wait is over
    dispatch()
    # when
    page = owner_client.get(f"{LIST}{endpoint.pk}/").content.decode()
    # then
    assert "HTTP 500" in page and "HTTP 200" in page
    assert "answer 500 from the ERP" in page and "毫秒" in page
    assert "订单创建" in page and "重新推送" in page


def test_the_console_buttons_pause_resume_test_and_redeliver(owner, owner_client, receiver):  # noqa: F811
    # given
    endpoint = endpoint_make(shop=owner.shop, url=receiver.url)
    OrderFactory(shop=owner.shop, status=OrderStatus.UNPAID)
    dispatch()
    delivery = WebhookDelivery.objects.get()
    base = f"{LIST}{endpoint.pk}/"
    # when / then
    owner_client.post(f"{base}pause/")
    endpoint.refresh_from_db()
    assert not endpoint.is_active and not endpoint.paused_by_failures
    owner_client.post(f"{base}resume/")
    endpoint.refresh_from_db()
    assert endpoint.is_active
    response = owner_client.post(f"{base}test/", follow=True)
    assert "测试推送成功" in response.content.decode()
    owner_client.post(f"{LIST}deliveries/{delivery.pk}/redeliver/")
    assert WebhookDelivery.objects.filter(event_id=delivery.event_id).count() == 2


def test_the_settings_page_links_to_webhooks_for_the_owner(owner_client):
    # then
    assert LIST in owner_client.get("/settings/").content.decode()


def test_the_endpoint_page_costs_a_fixed_number_of_queries(
    owner,
    owner_client,
    receiver,  # noqa: F811
    django_assert_max_num_queries,
):
    # given
    endpoint = endpoint_make(shop=owner.shop, url=receiver.url)
    for _ in range(5):
        OrderFactory(shop=owner.shop)
    dispatch()
    # then
    with django_assert_max_num_queries(12):
        assert owner_client.get(f"{LIST}{endpoint.pk}/").status_code == 200
