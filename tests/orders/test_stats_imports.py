"""Writes that bypass the order services (the order import, status syncs, raw updates)
leave 数据 exact: orders.stats.recompute refreshes the days they touched."""

import io
import random
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from orders.files import export
from orders.files.imports import import_orders
from orders.models import Order
from orders.stats import recompute, selectors
from orders.stats.periods import Period
from orders.stats.recompute import days_of_orders, refresh
from products.factories import ProductFactory, SkuFactory
from shops.factories import CreatorFactory
from shops.models import Shop

from .stats_support import Clock, bj, drive, expected_by, expected_overview
from .test_stats_rollups import _snapshot

pytestmark = pytest.mark.django_db

PERIODS = [
    Period(date(2026, 11, 1), date(2026, 11, 14)),
    Period(date(2026, 11, 3), date(2026, 11, 3)),
    Period(date(2026, 11, 8), date(2026, 11, 10)),
]


@pytest.fixture
def exported(monkeypatch, owner, context_for):
    """Two weeks of trading in the owner's shop, as the order file 抖店 exports."""
    shop = owner.shop
    clock = Clock(monkeypatch, bj(2026, 11, 1))
    skus = [
        SkuFactory(product=ProductFactory(shop=shop, sku=None), price_fen=1500 * n, stock=10_000)
        for n in range(1, 4)
    ]
    context = context_for(owner)
    drive(
        random.Random(7), clock, shop, context, skus, [CreatorFactory()], bj(2026, 11, 1, 0), 14, 80
    )
    orders = export.filtered_orders(context=context, params={})
    content, _rows = export.render(
        orders, export.columns_of(()), by="item", fmt="csv", masked=False
    )
    return content


def _figures(context, shop):
    for period in PERIODS:
        figures = selectors.overview(context=context, period=period)
        want = expected_overview(shop, period)
        assert {key: figures[key] for key in want} == want, period
        provinces = selectors.provinces(context=context, period=period)
        assert {r["key"]: (r["orders"], r["amount_fen"]) for r in provinces["rows"]} == (
            expected_by(shop, period, lambda o: o.receiver_province)
        )


def test_an_imported_files_orders_appear_exactly_in_the_figures(exported, other_owner, context_for):
    # given
    context = context_for(other_owner)
    # when
    report = import_orders(
        shop_id=context.shop.pk, source=exported, file_name="a.csv", dry_run=False
    )
    # then
    assert report.errors == 0 and report.new
    _figures(context, context.shop)
    assert selectors.overview(context=context, period=PERIODS[0])["paid_orders"] > 0


def test_an_imported_status_change_keeps_the_figures_exact(exported, other_owner, context_for):
    # given
    context = context_for(other_owner)
    import_orders(shop_id=context.shop.pk, source=exported, file_name="a.csv", dry_run=False)
    changed = exported.decode("utf-8-sig").replace("备货中", "已发货").encode()
    # when
    report = import_orders(
        shop_id=context.shop.pk, source=changed, file_name="b.csv", dry_run=False
    )
    # then
    assert report.errors == 0 and report.updated
    _figures(context, context.shop)


def test_refreshing_the_touched_days_equals_a_rebuild(exported, owner):
    # given: a raw write moves an order's payment to another day
    order = Order.objects.filter(shop=owner.shop, paid_at__isnull=False).order_by("pk").first()
    ids = ("SELECT %s", [order.pk])
    before = days_of_orders(*ids)
    Order.objects.filter(pk=order.pk).update(paid_at=order.paid_at + timedelta(days=3))
    # when
    refresh(before, days_of_orders(*ids))
    # then
    refreshed = _snapshot()
    call_command("stats_rebuild", stdout=io.StringIO())
    assert _snapshot() == refreshed


def test_the_count_made_without_postgresql_equals_the_sql_rebuild(exported, owner):
    # given: the rollups as PostgreSQL rebuilds them
    call_command("stats_rebuild", stdout=io.StringIO())
    rebuilt = _snapshot()
    shop_ids = list(Shop.objects.values_list("pk", flat=True))
    creator_ids = recompute._creators_of(shop_ids)
    recompute._delete(shop_ids, creator_ids, None)
    # when: counted in memory, as on make run's SQLite
    recompute._replay(shop_ids, creator_ids)
    # then
    assert _snapshot() == rebuilt
