"""The demo shops' 数据 tells a story: weekly rhythm, evening peaks, a promotion spike,
a regional skew, returning buyers; and their rollups are exact."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from orders.stats import selectors
from orders.stats.demo import _promotion
from orders.stats.periods import Period
from shops.models import Shop
from shops.tenancy import resolve_context

from .stats_support import expected_overview

pytestmark = pytest.mark.django_db


def test_demo_data_has_a_realistic_shape_and_exact_rollups():
    # given
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    shop = Shop.objects.get(slug="chaoliu")
    owner = shop.memberships.get(role="owner").user
    context = resolve_context(owner, requested=f"shop:{shop.pk}")
    today = timezone.localdate()
    period = Period(today - timedelta(days=90), today - timedelta(days=1))
    # when
    overview = selectors.overview(context=context, period=period)
    trend = selectors.trend(context=context, period=period)
    hours = selectors.hours(context=context, period=period)
    provinces = selectors.provinces(context=context, period=period)
    buyers = selectors.channels(context=context, period=period)["buyers"]
    # then
    assert overview == {**expected_overview(shop, period), "previous": overview["previous"]}
    days = dict(zip(period.dates(), trend["orders"], strict=True))
    assert max(days, key=days.get) == _promotion(today)
    weekend = [n for d, n in days.items() if d.weekday() >= 5 and d != _promotion(today)]
    weekday = [n for d, n in days.items() if d.weekday() < 4]
    assert sum(weekend) / len(weekend) > sum(weekday) / len(weekday)
    assert set(hours["peaks"]) <= {19, 20, 21, 22}
    assert provinces["rows"][0]["key"] == "广东省"
    assert buyers["returning"] > 0 and buyers["new"] > 0
