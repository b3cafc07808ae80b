import pytest

from products import services
from products.exceptions import OutOfStock
from products.factories import SkuFactory
from products.models import StockMove

from ..concurrency import refused, run_together


@pytest.mark.django_db(transaction=True)
def test_twenty_buyers_for_the_last_ten_units():
    # given
    sku = SkuFactory(stock=10)
    # when
    outcomes = run_together([lambda: services.sku_reserve_stock(lines=[(sku.pk, 1)])] * 20)
    # then
    sku.refresh_from_db()
    assert outcomes.count(None) == 10 and refused(outcomes, OutOfStock) == 10
    assert sku.stock == 0
    assert StockMove.objects.filter(sku=sku).count() == 10
    assert sorted(StockMove.objects.values_list("balance_after", flat=True)) == list(range(10))
