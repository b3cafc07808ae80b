"""The creator's 数据看板: each figure against a plain-Python computation over the order
and ledger rows, isolation between creators, the page, CSV, API and query budgets."""

import random
from collections import defaultdict
from datetime import date

import pytest
from django.urls import reverse

from affiliates.board import selectors
from affiliates.factories import LiveSessionFactory, ShowcaseCreatorFactory, VideoFactory
from affiliates.ledger.factories import alliance_offer
from affiliates.ledger.models import Bucket, EntryKind, LedgerEntry
from affiliates.ledger.settlement import ledger_settle_due
from affiliates.models import AllianceRate
from orders.attribution import Attribution
from orders.factories import OrderFactory
from orders.models import AfterSaleType, Channel, Order, OrderItem, OrderStatus, TrafficSource
from orders.stats.periods import Period
from shops.factories import ShopFactory
from shops.tenancy import ContextKind, resolve_context
from tests.orders.stats_support import Clock, bj, day

from .ledger_support import committed, merchant_context, refund

pytestmark = pytest.mark.django_db

PERIODS = [
    Period(date(2026, 11, 1), date(2026, 11, 10)),
    Period(date(2026, 11, 4), date(2026, 11, 4)),
    Period(date(2026, 11, 11), date(2026, 11, 25)),
]


def _within(moment, period):
    return moment is not None and period.start <= day(moment) <= period.end


@pytest.fixture
def trading(monkeypatch, settings):
    """Two creators selling two shops' offers on 2026-11-01 … 10 (Beijing), through
    their showcase, a video and a live; some orders never paid, some refunded, the
    completed ones settled on 11-20."""
    settings.SETTLEMENT_DELAY_DAYS = 7
    clock = Clock(monkeypatch, bj(2026, 11, 1))
    rng = random.Random(5)
    creators = [ShowcaseCreatorFactory(), ShowcaseCreatorFactory()]
    offers = [
        alliance_offer(shop=ShopFactory(), price_fen=price, rate_bp=rate)
        for price, rate in ((9900, 2000), (4550, 1500), (12800, 3000))
    ]
    # Rates take effect from the real now (a default the clock does not reach).
    AllianceRate.objects.update(effective_from=bj(2026, 10, 1))
    videos = {c.pk: VideoFactory(creator=c) for c in creators}
    lives = {
        c.pk: LiveSessionFactory(
            creator=c, starts_at=bj(2026, 11, 1, 19), ends_at=bj(2026, 11, 1, 23)
        )
        for c in creators
    }
    statuses = [OrderStatus.UNPAID, OrderStatus.AWAITING_SHIPMENT, OrderStatus.COMPLETED]
    for _ in range(36):
        # Some at 23:30 Beijing time: that day's, not the next.
        clock.now = rng.choice(
            [bj(2026, 11, rng.randint(1, 10), rng.randint(8, 22)), bj(2026, 11, 3, 23, 30)]
        )
        creator = rng.choice(creators)
        source = rng.choice([TrafficSource.SHOWCASE, TrafficSource.VIDEO, TrafficSource.LIVE])
        offer = rng.choice(offers)
        sku = offer.product.skus.get()
        order = committed(
            OrderFactory,
            shop=offer.shop,
            lines=[(sku.pk, rng.randint(1, 2))],
            attribution=Attribution(
                creator.pk,
                Channel.ALLIANCE,
                source,
                video_id=videos[creator.pk].douyin_video_id if source == "video" else "",
                live_room_id=str(lives[creator.pk].pk) if source == "live" else "",
            ),
            status=rng.choice(statuses),
        )
        if order.status == OrderStatus.AWAITING_SHIPMENT and rng.random() < 0.3:
            refund(
                merchant_context(order.shop),
                order,
                amount_fen=500,
                type=AfterSaleType.UNSHIPPED_REFUND_ONLY,
            )
    clock.now = bj(2026, 11, 20, 10)
    ledger_settle_due(now=clock.now)
    return creators


def context_of(creator):
    return resolve_context(creator.user, requested=ContextKind.CREATOR)


# --- the figures, from the rows ------------------------------------------------------------


def _paid(creator, period):
    return [o for o in Order.objects.filter(creator=creator) if _within(o.paid_at, period)]


def _grouped(orders, key_of):
    found = defaultdict(lambda: [0, 0])
    for o in orders:
        key = key_of(o)
        if key:
            found[key][0] += 1
            found[key][1] += o.paid_fen
    return {k: tuple(v) for k, v in found.items()}


def _commission(creator, period):
    entries = list(LedgerEntry.objects.filter(creator=creator))
    estimated = sum(
        e.net_fen
        for e in entries
        if e.kind in (EntryKind.ESTIMATE, EntryKind.ADJUST) and _within(e.created_at, period)
    )
    settled = sum(
        e.net_fen
        for e in entries
        if e.bucket == Bucket.SETTLED
        and e.kind in (EntryKind.SETTLE, EntryKind.CLAWBACK)
        and _within(e.created_at, period)
    )
    return estimated, settled


def _items(creator, period):
    found = defaultdict(lambda: [set(), 0])
    for item in OrderItem.objects.filter(order__in=_paid(creator, period)):
        found[str(item.product_id)][0].add(item.order_id)
        found[str(item.product_id)][1] += item.paid_fen
    return {k: (len(v[0]), v[1]) for k, v in found.items()}


def _keyed(rows):
    return {r["key"]: (r["orders"], r["amount_fen"]) for r in rows if r["orders"]}


@pytest.mark.parametrize("n", range(len(PERIODS)))
def test_every_figure_equals_a_computation_from_the_rows(trading, n):
    # given
    period = PERIODS[n]
    # when / then: for each creator, this period and the previous one (环比)
    for creator in trading:
        context = context_of(creator)
        figures = selectors.overview(context=context, period=period)
        for p, got in ((period, figures), (period.previous, figures["previous"])):
            paid = _paid(creator, p)
            estimated, settled = _commission(creator, p)
            gmv = sum(o.paid_fen for o in paid)
            assert {key: got[key] for key in selectors.FIGURE_KEYS} == {
                "paid_orders": len(paid),
                "gmv_fen": gmv,
                "aov_fen": (gmv * 2 + len(paid)) // (2 * len(paid)) if paid else None,
                "estimated_fen": estimated,
                "settled_fen": settled,
            }
        paid = _paid(creator, period)
        assert _keyed(selectors.channels(context=context, period=period)["rows"]) == _grouped(
            paid, lambda o: o.traffic_source
        )
        assert _keyed(selectors.videos(context=context, period=period)["rows"]) == _grouped(
            paid, lambda o: o.video_id
        )
        assert _keyed(selectors.lives(context=context, period=period)["rows"]) == _grouped(
            paid, lambda o: o.live_room_id
        )
        assert _keyed(selectors.items(context=context, period=period)["rows"]) == _items(
            creator, period
        )


def test_the_trend_is_per_day_with_the_previous_period_aligned(trading):
    # given
    creator, period = trading[0], PERIODS[0]
    # when
    trend = selectors.trend(context=context_of(creator), period=period)
    # then
    paid = _paid(creator, Period(date(2026, 10, 22), period.end))
    per_day = _grouped(paid, lambda o: day(o.paid_at))
    for days, orders, amounts in (
        (period.dates(), trend["paid_orders"], trend["gmv_fen"]),
        (period.previous.dates(), trend["previous"]["paid_orders"], trend["previous"]["gmv_fen"]),
    ):
        assert orders == [per_day.get(d, (0, 0))[0] for d in days]
        assert amounts == [per_day.get(d, (0, 0))[1] for d in days]
    estimated = [_commission(creator, Period(d, d))[0] for d in period.dates()]
    assert trend["estimated_fen"] == estimated and any(estimated)


def test_names_come_from_the_creators_own_videos_lives_and_products(trading):
    # given
    creator, period = trading[0], PERIODS[0]
    context = context_of(creator)
    # when
    videos = selectors.videos(context=context, period=period)["rows"]
    lives = selectors.lives(context=context, period=period)["rows"]
    items = selectors.items(context=context, period=period)["rows"]
    # then
    assert [r["label"] for r in videos] == [creator.videos.get().title]
    assert [r["label"] for r in lives] == [creator.live_sessions.get().title]
    assert all(not r["label"].isdigit() for r in items)


def test_another_creators_orders_and_commission_are_never_counted(trading):
    # given: the second creator, and a third who sold nothing
    _first, second = trading
    nobody = ShowcaseCreatorFactory()
    period = Period(date(2026, 11, 1), date(2026, 11, 25))
    # when
    mine = selectors.overview(context=context_of(second), period=period)
    empty = selectors.overview(context=context_of(nobody), period=period)
    # then
    assert (mine["paid_orders"], mine["estimated_fen"], mine["settled_fen"]) == (
        len(_paid(second, period)),
        *_commission(second, period),
    )
    zero = {"paid_orders": 0, "gmv_fen": 0, "aov_fen": None, "estimated_fen": 0, "settled_fen": 0}
    assert empty == {**zero, "previous": zero}


# --- page, CSV, API ---------------------------------------------------------------------------


def _client(client, creator):
    client.force_login(creator.user)
    client.post(reverse("console:switch"), {"context": ContextKind.CREATOR})
    return client


QUERY = {"from": "2026-11-01", "to": "2026-11-10"}


def test_the_page_shows_the_figures_within_a_query_budget(
    trading, client, django_assert_max_num_queries
):
    # given
    client = _client(client, trading[0])
    # when
    with django_assert_max_num_queries(12):
        response = client.get(reverse("affiliates:board"), QUERY)
    # then
    html = response.content.decode()
    assert response.status_code == 200
    for view in ("trend", "channels", "videos", "lives", "items"):
        assert f'hx-get="{reverse("affiliates:board_section", args=[view])}?' in html
    paid = len(_paid(trading[0], PERIODS[0]))
    assert f">{paid:,}<" in html


@pytest.mark.parametrize("view", ["trend", "channels", "videos", "lives", "items"])
def test_each_section_renders_its_chart_and_table(
    trading, client, view, django_assert_max_num_queries
):
    # given
    client = _client(client, trading[0])
    # when
    with django_assert_max_num_queries(10):
        response = client.get(reverse("affiliates:board_section", args=[view]), QUERY)
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="chart-{view}"' in html and f'data-table="{view}"' in html


def test_a_merchant_cannot_open_the_board(client, owner):
    client.force_login(owner.user)
    assert client.get(reverse("affiliates:board")).status_code in (302, 403, 404)


def test_a_panel_downloads_as_csv(trading, client):
    # given
    client = _client(client, trading[0])
    # when
    response = client.get(reverse("affiliates:board_export", args=["channels"]), QUERY)
    # then
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0].startswith("渠道,")
    assert "橱窗" in text


def test_an_unknown_panel_is_404(trading, client):
    client = _client(client, trading[0])
    response = client.get(reverse("affiliates:board_export", args=["nope"]), QUERY)
    assert response.status_code == 404


@pytest.mark.parametrize("view", ["overview", "trend", "channels", "videos", "lives", "items"])
def test_the_api_answers_each_view_for_the_creator_only(
    trading, client, view, django_assert_max_num_queries
):
    # given
    creator = trading[0]
    client.force_login(creator.user)
    # when
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/v1/creator/stats/{view}/", QUERY)
    # then
    assert response.status_code == 200
    selector = getattr(selectors, view)
    assert response.json() == _json(selector(context=context_of(creator), period=PERIODS[0]))


def _json(data):
    import json

    from rest_framework.utils.encoders import JSONEncoder

    return json.loads(json.dumps(data, cls=JSONEncoder))


def test_a_merchant_gets_404_from_the_creator_api(client, owner):
    client.force_login(owner.user)
    response = client.get("/api/v1/creator/stats/overview/", QUERY)
    assert response.status_code == 404


def test_a_bad_period_is_a_400_naming_the_field(client):
    creator = ShowcaseCreatorFactory()
    client.force_login(creator.user)
    response = client.get("/api/v1/creator/stats/overview/", {"from": "2026-13-01", "to": "x"})
    assert response.status_code == 400
    assert "from" in response.json()["fields"]


@pytest.mark.parametrize("kind", ["showcase", "video", "live"])
def test_unpaid_orders_are_never_counted(monkeypatch, kind):
    # given
    Clock(monkeypatch, bj(2026, 11, 2))
    creator = ShowcaseCreatorFactory()
    offer = alliance_offer()
    OrderFactory(
        shop=offer.shop,
        lines=[(offer.product.skus.get().pk, 1)],
        attribution=Attribution(creator.pk, Channel.ALLIANCE, kind),
        status=OrderStatus.UNPAID,
    )
    # when
    figures = selectors.overview(
        context=context_of(creator), period=Period(date(2026, 11, 2), date(2026, 11, 2))
    )
    # then
    assert (figures["paid_orders"], figures["gmv_fen"]) == (0, 0)
