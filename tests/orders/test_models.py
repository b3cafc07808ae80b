"""Keys the database itself holds, whatever writes the rows (a service, an import's
bulk SQL)."""

import pytest
from django.db import IntegrityError, connection, transaction

from orders.factories import OrderFactory
from orders.models import OrderItem

pytestmark = pytest.mark.django_db


def _check_keys_now():
    """The deferred foreign keys, checked as a commit would check them."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_an_item_cannot_sit_in_another_shops_order(shop, other_owner):
    # given: an order of another shop
    item = OrderFactory(shop=other_owner.shop).items.get()
    # when / then: the item is moved to this shop, its order left where it is
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderItem.objects.filter(pk=item.pk).update(shop=shop)
        _check_keys_now()


def test_an_item_of_its_own_shops_order_passes_the_key(shop):
    # given
    item = OrderFactory(shop=shop).items.get()
    # when
    OrderItem.objects.filter(pk=item.pk).update(quantity=item.quantity)
    _check_keys_now()
    # then
    assert OrderItem.objects.get(pk=item.pk).shop_id == shop.pk
