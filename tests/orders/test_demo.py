import pytest
from django.core.management import call_command
from django.db.models import F, Sum

from orders.deadlines import overdue_q
from orders.models import AfterSale, AfterSaleStatus, Order, OrderStatus
from shops.models import Shop

pytestmark = pytest.mark.django_db


def test_demo_orders_cover_every_state_and_add_up():
    # given / when (seeding costs seconds, so one test looks at all of it)
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # then: each demo shop has hundreds of orders in every status, via creators, overdue
    for shop in Shop.objects.filter(slug__in=["chaoliu", "xianguo"]):
        orders = Order.objects.filter(shop=shop)
        assert orders.count() >= 200
        assert set(orders.values_list("status", flat=True)) >= set(OrderStatus.values) - {
            OrderStatus.PAID
        }
        assert orders.filter(creator__isnull=False).exists()
        assert orders.filter(overdue_q()).exists()
    # and after-sales in every state
    assert set(AfterSale.objects.values_list("status", flat=True)) == set(AfterSaleStatus.values)
    # and amounts that add up
    mismatched = Order.objects.annotate(items_fen=Sum("items__paid_fen")).exclude(
        paid_fen=F("items_fen") + F("shipping_fen")
    )
    assert not mismatched.exists()
