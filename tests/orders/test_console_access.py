"""Who reaches the orders console: login, another shop's ids, the sidebar."""

import pytest
from django.urls import reverse

from .aftersale_support import refund_request

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize("name", ["orders:list", "aftersales:list"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_another_shops_order_and_aftersale_are_404_everywhere(as_member, other_owner, paid):
    # given: an order with an after-sale in the owner's shop; the other owner signed in
    aftersale = refund_request(paid)
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
