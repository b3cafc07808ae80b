"""首页 cards of orders: ship deadlines and after-sales waiting."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.factories import OrderFactory
from orders.models import Order

from .aftersale_support import refund_request

pytestmark = pytest.mark.django_db


def test_home_cards_count_deadlines_and_pending_aftersales(as_member, owner, shop, paid):
    # given: one overdue order (¥99.00 → ¥9.90 at stake) and one pending refund
    Order.objects.filter(pk=paid.pk).update(exp_ship_time=timezone.now() - timedelta(hours=1))
    refund_request(OrderFactory(shop=shop))
    # when
    cards = {c.label: c for c in as_member(owner).get(reverse("console:home")).context["cards"]}
    # then
    assert cards["待发货"].value == "2"
    assert cards["已超时"].value == "1" and cards["已超时"].hint == "赔付风险 ¥9.90"
    assert "deadline=overdue" in cards["已超时"].url
    assert cards["售后待处理"].value == "1"
