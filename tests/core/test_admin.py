"""The admin reads logs and finds orders; it writes neither (states change through
admin actions that call the services)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
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

# Logs, ledgers and records whose rows only services write: wherever /admin/ shows them
# (their own page or an inline) nobody adds, changes or deletes a row.
LOGS = [
    "orders.Order",
    "orders.OrderItem",
    "orders.Payment",
    "orders.OrderEvent",
    "orders.AfterSale",
    "orders.AfterSaleEvent",
    "orders.OrderChange",
    "orders.OrderExport",
    "orders.OrderImport",
    "orders.WebhookEndpoint",
    "orders.WebhookEvent",
    "orders.WebhookDelivery",
    "orders.WebhookAttempt",
    "products.Sku",
    "products.ProductStatusEvent",
    "products.StockMove",
    "logistics.Shipment",
    "logistics.ShipmentLine",
    "logistics.ParcelNumber",
    "logistics.TrackingEvent",
    "logistics.TrackingNoCorrection",
    "logistics.ShipBatch",
    "logistics.ShipBatchRow",
    "logistics.PrintRecord",
    "shops.CreatorAccountChange",
    "affiliates.AllianceRate",
    "affiliates.AllianceOfferEvent",
    "affiliates.Commission",
    "affiliates.LedgerEntry",
    "affiliates.ShopSettlement",
    "affiliates.Withdrawal",
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


def _superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    return request


def _places_shown(label, request):
    """Every admin (page or inline) that shows the model `label`."""
    model = apps.get_model(label)
    places = []
    for parent, model_admin in admin.site._registry.items():
        if parent is model:
            places.append((model_admin, lambda a: a.has_add_permission(request)))
        for inline in model_admin.get_inline_instances(request):
            if inline.model is model:
                places.append((inline, lambda a: a.has_add_permission(request, None)))
    return places


@pytest.mark.parametrize("label", LOGS)
def test_logs_and_records_are_read_only_wherever_the_admin_shows_them(label):
    # given
    request = _superuser_request()
    # when
    places = _places_shown(label, request)
    # then
    assert places, f"{label} is not shown in /admin/"
    for place, can_add in places:
        assert not can_add(place), place
        assert not place.has_change_permission(request, None), place
        assert not place.has_delete_permission(request, None), place


@pytest.mark.parametrize(
    ("app", "name", "field"),
    [
        ("products", "product", "status"),
        ("affiliates", "allianceoffer", "status"),
        ("orders", "order", "status"),
        ("orders", "aftersale", "status"),
        ("affiliates", "withdrawal", "status"),
        ("affiliates", "commission", "state"),
        ("logistics", "shipbatch", "status"),
        ("orders", "webhookendpoint", "is_active"),
        ("orders", "orderexport", "status"),
    ],
)
def test_a_superuser_cannot_edit_a_state_field(app, name, field):
    """The change form of each machine's model shows its state, never as an input."""
    model = apps.get_model(app, name)
    request = _superuser_request()
    model_admin = admin.site._registry[model]
    editable = model_admin.has_change_permission(request, None)
    assert not editable or field in model_admin.get_readonly_fields(request, None)
