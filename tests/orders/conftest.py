import pytest
from django.db import connection
from django.utils import timezone

from orders.factories import BUYER, RECEIVER, OrderFactory
from orders.models import Order
from orders.services import new_number, order_place
from products.factories import ProductFactory, SkuFactory


@pytest.fixture
def sku(shop):
    """An on-sale ¥99.00 SKU with 10 in stock."""
    product = ProductFactory(shop=shop, title="纯棉短袖T恤", sku=None)
    return SkuFactory(product=product, spec_text="颜色:白;尺码:L", price_fen=9900, stock=10)


@pytest.fixture
def paid(shop):
    """A paid order (备货中) of one ¥99.00 T-shirt to 张三 13812345678."""
    return OrderFactory(shop=shop)


@pytest.fixture
def place(shop):
    """place(lines, **kwargs) -> a new unpaid order of `shop`."""

    def make(lines, **kwargs):
        kwargs.setdefault("shop", shop)
        kwargs.setdefault("receiver", dict(RECEIVER))
        kwargs.setdefault("buyer", dict(BUYER))
        return order_place(lines=lines, **kwargs)

    return make


@pytest.fixture
def bare_order(shop):
    """bare_order(status) -> an order row in `status` without items (state machine tests)."""

    def make(status, **fields):
        now = timezone.now()
        return Order.objects.create(
            shop=shop,
            order_no=new_number(),
            status=status,
            buyer_id="b1",
            **{f"receiver_{key}": value for key, value in RECEIVER.items()},
            created_at=now,
            pay_deadline=now,
            **fields,
        )

    return make


@pytest.fixture(autouse=True)
def payment_settings(settings):
    """A known provider secret and the simulator on, as in development."""
    settings.PAYMENT_PROVIDER_SECRET = "test-provider-secret"
    settings.PAYMENT_SIMULATOR_ENABLED = True
    return settings


@pytest.fixture
def not_postgresql(monkeypatch):
    """The database as `make run`'s SQLite demo reports itself."""
    monkeypatch.setattr(connection, "vendor", "sqlite")
