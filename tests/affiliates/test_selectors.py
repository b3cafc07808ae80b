"""选品广场: filters and sorts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from affiliates.factories import AllianceItemFactory, AllianceOfferFactory
from affiliates.models import OfferStatus
from affiliates.selectors import MarketFilters, market_offers
from products.factories import ProductFactory, SkuFactory, leaf_category
from products.models import Category, ProductStatus

pytestmark = pytest.mark.django_db


def offer(title, *, price_fen=9900, stock=100, rate_bp=2000, sales=0, category="服饰内衣/女装"):
    product = ProductFactory(
        title=title, sku=None, sales_count=sales, category=leaf_category(category)
    )
    SkuFactory(product=product, price_fen=price_fen, stock=stock)
    return AllianceOfferFactory(product=product, rate_bp=rate_bp)


def titles(creator, **filters):
    return [
        o.product.title for o in market_offers(creator=creator, filters=MarketFilters(**filters))
    ]


def test_only_active_offers_of_on_sale_products_are_listed(showcase_creator):
    # given
    offer("在售")
    closed = offer("已关闭")
    closed.status = OfferStatus.CLOSED
    closed.save()
    ended = offer("已结束")
    ended.ends_on = timezone.localdate() - timedelta(days=1)
    ended.save()
    off = offer("已下架")
    off.product.status = ProductStatus.OFF_SHELF
    off.product.save()
    # then
    assert titles(showcase_creator) == ["在售"]


def test_filter_by_top_category_includes_its_children(showcase_creator):
    # given
    offer("女装", category="服饰内衣/女装")
    offer("男装", category="服饰内衣/男装")
    offer("零食", category="食品饮料/休闲零食")
    top = Category.objects.get(parent=None, name="服饰内衣")
    # then
    assert sorted(titles(showcase_creator, category_id=top.pk)) == ["女装", "男装"]


def test_filter_by_price_band_uses_the_lowest_sku_price(showcase_creator):
    # given
    cheap = offer("便宜", price_fen=3900)
    SkuFactory(product=cheap.product, price_fen=12900, spec_text="尺码:XL")
    offer("中档", price_fen=8800)
    offer("贵", price_fen=39900)
    # then
    assert titles(showcase_creator, price_band="0-50") == ["便宜"]
    assert titles(showcase_creator, price_band="50-100") == ["中档"]
    assert titles(showcase_creator, price_band="300-") == ["贵"]


def test_filter_by_minimum_rate(showcase_creator):
    offer("低佣", rate_bp=1000)
    offer("高佣", rate_bp=3000)
    assert titles(showcase_creator, min_rate_bp=2000) == ["高佣"]


def test_filter_has_stock(showcase_creator):
    offer("有货", stock=5)
    offer("无货", stock=0)
    assert titles(showcase_creator, in_stock=True) == ["有货"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("rate", ["A", "C", "B"]),
        ("price", ["B", "A", "C"]),
        ("-price", ["C", "A", "B"]),
        ("sales", ["C", "B", "A"]),
        ("newest", ["C", "B", "A"]),
    ],
)
def test_sorts(showcase_creator, sort, expected):
    # given: created in order A, B, C
    offer("A", rate_bp=5000, price_fen=5000, sales=1)
    offer("B", rate_bp=1000, price_fen=1000, sales=50)
    offer("C", rate_bp=3000, price_fen=9000, sales=900)
    # then
    assert titles(showcase_creator, sort=sort) == expected


def test_offers_already_in_the_showcase_are_marked(showcase_creator):
    # given
    taken = offer("已加")
    offer("未加")
    AllianceItemFactory(creator=showcase_creator, offer=taken)
    # when
    marks = {
        o.product.title: o.in_showcase
        for o in market_offers(creator=showcase_creator, filters=MarketFilters())
    }
    # then
    assert marks == {"已加": True, "未加": False}
