import pytest

from products import demo
from products.models import Product, ProductStatus, Sku
from shops import demo as shops_demo


@pytest.mark.django_db
def test_demo_shops_get_about_thirty_products():
    # given
    shops_demo.seed(lambda *_: None)
    # when
    demo.seed(lambda *_: None)
    # then
    for slug in ("chaoliu", "xianguo"):
        products = Product.objects.filter(shop__slug=slug)
        assert products.count() == 30
        assert products.filter(status=ProductStatus.OFF_SHELF).exists()
        assert products.filter(status=ProductStatus.DRAFT).exists()
        assert Sku.objects.filter(shop__slug=slug, stock__lte=5).exists()
