import threading

import pytest
from django.db import connection

from products import services
from products.exceptions import OutOfStock
from products.factories import SkuFactory
from products.models import StockMove


@pytest.mark.django_db(transaction=True)
def test_twenty_buyers_for_the_last_ten_units():
    # given
    sku = SkuFactory(stock=10)
    barrier = threading.Barrier(20)
    outcomes = []
    lock = threading.Lock()

    def buy():
        try:
            barrier.wait()
            services.sku_reserve_stock(lines=[(sku.pk, 1)])
            result = "ok"
        except OutOfStock:
            result = "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=buy) for _ in range(20)]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    sku.refresh_from_db()
    assert outcomes.count("ok") == 10 and outcomes.count("refused") == 10
    assert sku.stock == 0
    assert StockMove.objects.filter(sku=sku).count() == 10
    assert sorted(StockMove.objects.values_list("balance_after", flat=True)) == list(range(10))
