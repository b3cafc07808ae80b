"""The admin reads logs and finds orders; it writes neither (states change through
admin actions that call the services)."""

import pytest
from django.urls import reverse

from orders.factories import OrderFactory
from orders.models import AfterSale, Order, OrderEvent
from products.models import StockMove
from shops.factories import UserFactory

pytestmark = pytest.mark.django_db

READ_ONLY = [
    Order,
    AfterSale,
    StockMove,
    ("logistics", "trackingnocorrection"),
    ("logistics", "printrecord"),
]


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _names(model):
    if isinstance(model, tuple):
        return model
    return model._meta.app_label, model._meta.model_name


@pytest.mark.parametrize("model", READ_ONLY)
def test_logs_and_orders_cannot_be_added_in_admin(staff, model):
    app, name = _names(model)
    assert staff.get(reverse(f"admin:{app}_{name}_add")).status_code == 403


def test_an_operator_finds_an_order_by_number_read_only(staff, owner):
    # given
    order, other = OrderFactory(shop=owner.shop), OrderFactory(shop=owner.shop)
    # when
    listing = staff.get(reverse("admin:orders_order_changelist"), {"q": order.order_no})
    detail = staff.get(reverse("admin:orders_order_change", args=[order.pk]))
    posted = staff.post(reverse("admin:orders_order_change", args=[order.pk]), {"status": 5})
    # then
    page = listing.content.decode()
    assert order.order_no in page and other.order_no not in page
    assert detail.status_code == 200 and "提交订单" in detail.content.decode()
    assert posted.status_code == 403
    assert Order.objects.get(pk=order.pk).status == order.status


def test_an_order_event_cannot_be_deleted_from_the_admin(staff, owner):
    order = OrderFactory(shop=owner.shop)
    response = staff.post(reverse("admin:orders_order_delete", args=[order.pk]), {"post": "yes"})
    assert response.status_code == 403 and OrderEvent.objects.filter(order=order).exists()
