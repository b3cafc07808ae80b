"""factory-boy factories for products; shared by the tests and seed_demo.

`ProductFactory()` makes an on-sale product with one default SKU (¥99.00, 100 in
stock); `ProductFactory(sku=None)` makes one without SKUs; `SkuFactory(product=p,
spec_text="颜色:红")` adds more.
"""

import factory
from factory.django import DjangoModelFactory

from shops.factories import ShopFactory

from .categories import seed_categories
from .models import Category, Product, ProductStatus, Sku


def leaf_category(path: str = "服饰内衣/女装") -> Category:
    """A seeded second-level category by "一级/二级" path (re-seeded if a transactional
    test flushed the migration's rows)."""
    parent, _, name = path.partition("/")
    lookup = {"parent__parent": None, "parent__name": parent, "name": name}
    if not Category.objects.filter(**lookup).exists():
        seed_categories(Category)
    return Category.objects.get(**lookup)


class SkuFactory(DjangoModelFactory):
    class Meta:
        model = Sku

    product = factory.SubFactory("products.factories.ProductFactory", sku=None)
    shop = factory.SelfAttribute("product.shop")
    spec_text = ""
    spec_values = factory.LazyAttribute(
        lambda o: [
            {"name": name, "value": value}
            for name, _, value in (part.partition(":") for part in o.spec_text.split(";") if part)
        ]
    )
    price_fen = 9900
    stock = 100


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product
        django_get_or_create = ("shop", "title")
        skip_postgeneration_save = True

    shop = factory.SubFactory(ShopFactory)
    title = factory.Sequence(lambda n: f"测试商品{n}")
    category = factory.LazyFunction(leaf_category)
    description = "测试用商品详情"
    status = ProductStatus.ON_SALE
    sku = factory.RelatedFactory(SkuFactory, factory_related_name="product")
