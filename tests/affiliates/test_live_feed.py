"""直播间实时订单: the overlay of a live room and the shop's 大屏 (affiliates.live_feed)."""

import pytest
from django.urls import reverse

from affiliates.factories import (
    AllianceItemFactory,
    LiveItemFactory,
    LiveSessionFactory,
    ShowcaseCreatorFactory,
)
from affiliates.live_feed import Room, feed_read
from affiliates.models import LiveSession
from orders.factories import OrderFactory, pay
from orders.models import OrderStatus
from products.factories import ProductFactory
from shops.factories import MembershipFactory
from shops.roles import Role

from .live_feed_support import RECEIVER, first_event, live_order, older_transaction

FULL_RECEIVER = [
    RECEIVER["name"],
    RECEIVER["name"][1:],
    RECEIVER["phone"],
    RECEIVER["phone"][-4:],
    RECEIVER["district"],
    RECEIVER["street"],
    RECEIVER["detail"],
]


def _open(client, session, cursor=""):
    """The first event of the live's stream (resuming from `cursor` when given)."""
    return first_event(client, reverse("live:events", args=[session.feed_token]), cursor)[0]


@pytest.mark.django_db
def test_a_line_shows_only_province_city_and_surname(client):
    # given: a paid order of the live room
    session = LiveSessionFactory()
    live_order(session)
    # when
    data = _open(client, session)
    page = client.get(reverse("live:feed", args=[session.feed_token]))
    # then
    assert [o["text"] for o in data["orders"]] == ["广东省 深圳市 的 欧** 刚刚下单 加绒连帽卫衣"]
    for secret in FULL_RECEIVER:
        assert secret not in str(data)
        assert secret not in page.content.decode()


@pytest.mark.django_db
def test_the_feed_holds_only_the_rooms_paid_orders(client):
    # given: one paid order of the room, and orders that must not show
    session = LiveSessionFactory()
    shown = live_order(session)
    live_order(session, status=OrderStatus.UNPAID)
    live_order(LiveSessionFactory(creator=session.creator, title="另一场"))
    other_creator = LiveSessionFactory(creator=ShowcaseCreatorFactory())
    live_order(other_creator, room=str(session.pk))  # same room id, another creator
    OrderFactory(receiver=dict(RECEIVER))  # no live room at all
    # when
    data = _open(client, session)
    # then
    assert len(data["orders"]) == 1 and data["count"] == 1
    assert data["orders"][0]["key"] != str(shown.pk)


@pytest.mark.django_db(transaction=True)
def test_resuming_with_the_last_event_id_delivers_what_was_missed_once(client):
    # given: an overlay that saw the first event, then lost its connection
    session = LiveSessionFactory()
    cursor = _open(client, session)["cursor"]
    # when: meanwhile an order is placed and paid in the room (and others elsewhere),
    # and EventSource reconnects with Last-Event-ID, twice
    live_order(session)
    live_order(session, status=OrderStatus.UNPAID)
    live_order(LiveSessionFactory(creator=session.creator, title="另一场"))
    first = _open(client, session, cursor)
    second = _open(client, session, first["cursor"])
    # then: the missed order comes once, with the new count; then nothing
    assert [o["text"] for o in first["orders"]] == ["广东省 深圳市 的 欧** 刚刚下单 加绒连帽卫衣"]
    assert first["count"] == 1
    assert second["orders"] == [] and second["count"] is None


@pytest.mark.django_db(transaction=True)
def test_a_payment_that_commits_late_is_not_missed():
    # given: two unpaid orders of the room, and a reader's cursor
    session = LiveSessionFactory()
    room = Room.of_session(session)
    early, late = (live_order(session, status=OrderStatus.UNPAID) for _ in range(2))
    cursor = feed_read(room=room, cursor=None).cursor
    # when: a transaction that writes first (its xid is the older) pays last, and commits
    # after another payment (paying only at its end: the two would otherwise queue on the
    # creator's stats row); the reader polls in between
    with older_transaction(early, then=lambda: pay(early)):
        pay(late)
        during = feed_read(room=room, cursor=cursor)
    after = feed_read(room=room, cursor=during.cursor)
    # then: the reader waits for the first transaction, and gets both
    assert during.orders == []
    assert len(after.orders) == 2 and after.count == 2


@pytest.mark.django_db
def test_the_explaining_item_shows_its_stock_going_down(client):
    # given: a 精选联盟 item being explained, 10 in stock
    item = AllianceItemFactory()
    sku = item.product.skus.get()
    sku.stock = 10
    sku.save()
    link = LiveItemFactory(item=item, session=LiveSessionFactory(creator=item.creator))
    link.is_explaining = True
    link.save()
    before = _open(client, link.session)["explaining"]
    # when: a viewer buys one
    live_order(link.session, sku=sku)
    after = _open(client, link.session)["explaining"]
    # then
    assert before == {"title": item.product.title, "stock": 10}
    assert after["stock"] == 9


@pytest.mark.django_db
def test_rotating_the_link_retires_the_old_one(client):
    # given: the creator and their live's overlay link
    session = LiveSessionFactory()
    old = session.feed_token
    client.force_login(session.creator.user)
    client.post(reverse("console:switch"), {"context": "creator"})
    detail = client.get(reverse("affiliates:lives_detail", args=[session.pk]))
    assert reverse("live:feed", args=[old]) in detail.content.decode()
    # when
    client.post(reverse("affiliates:lives_feed_rotate", args=[session.pk]))
    # then
    session.refresh_from_db()
    assert session.feed_token != old
    assert client.get(reverse("live:feed", args=[old])).status_code == 404
    assert client.get(reverse("live:events", args=[old])).status_code == 404
    assert client.get(reverse("live:feed", args=[session.feed_token])).status_code == 200


@pytest.mark.django_db
def test_another_creator_cannot_rotate_the_link(client):
    # given
    session = LiveSessionFactory()
    intruder = ShowcaseCreatorFactory()
    client.force_login(intruder.user)
    client.post(reverse("console:switch"), {"context": "creator"})
    # when
    response = client.post(reverse("affiliates:lives_feed_rotate", args=[session.pk]))
    # then
    assert response.status_code == 404
    assert LiveSession.objects.get(pk=session.pk).feed_token == session.feed_token


@pytest.mark.django_db
def test_an_unknown_token_is_refused_and_a_bad_cursor_starts_afresh(client):
    # given: a live with a paid order
    session = LiveSessionFactory()
    live_order(session)
    # when / then
    assert client.get(reverse("live:feed", args=["x" * 43])).status_code == 404
    assert client.get(reverse("live:events", args=["x" * 43])).status_code == 404
    data = _open(client, session, cursor="!!")
    assert len(data["orders"]) == 1 and data["count"] == 1


@pytest.mark.django_db
def test_the_overlay_is_private_and_has_no_inline_script(client):
    session = LiveSessionFactory()
    page = client.get(reverse("live:feed", args=[session.feed_token]))
    _, stream = first_event(client, reverse("live:events", args=[session.feed_token]))
    html = page.content.decode()
    assert "<script>" not in html and "js/live_feed.js" in html
    assert stream["X-Accel-Buffering"] == "no"
    for response in (page, stream):
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.django_db
def test_the_shop_screen_shows_only_the_shops_orders(client):
    # given: an owner of shop A; paid orders in A and in B
    member = MembershipFactory(role=Role.OWNER)
    mine = ProductFactory(shop=member.shop, title="A店羽绒服").skus.get()
    OrderFactory(shop=member.shop, lines=[(mine.pk, 1)], receiver=dict(RECEIVER))
    OrderFactory(shop=member.shop, lines=[(mine.pk, 1)], status=OrderStatus.UNPAID)
    OrderFactory(receiver=dict(RECEIVER))  # another shop's
    client.force_login(member.user)
    # when
    page = client.get(reverse("affiliates:live_screen"))
    data, _ = first_event(client, reverse("live:shop_events"))
    # then
    assert page.status_code == 200
    assert [o["text"] for o in data["orders"]] == ["广东省 深圳市 的 欧** 刚刚下单 A店羽绒服"]
    assert data["count"] == 1 and data["explaining"] is None
    for secret in FULL_RECEIVER:
        assert secret not in str(data)


@pytest.mark.django_db
def test_the_shop_screen_needs_the_data_permission(client):
    member = MembershipFactory(role=Role.SERVICE)
    client.force_login(member.user)
    assert client.get(reverse("live:shop_events")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_reading_a_feed_costs_a_few_queries(django_assert_max_num_queries):
    # given: an open overlay with an item being explained, and a new paid order
    item = AllianceItemFactory()
    link = LiveItemFactory(item=item, session=LiveSessionFactory(creator=item.creator))
    link.is_explaining = True
    link.save()
    room = Room.of_session(link.session)
    cursor = feed_read(room=room, cursor=None, session=link.session).cursor
    live_order(link.session)
    # when / then: changes, lines, count, explaining; with nothing new, no lines or count
    with django_assert_max_num_queries(4):
        page = feed_read(room=room, cursor=cursor, session=link.session)
    assert len(page.orders) == 1
    with django_assert_max_num_queries(2):
        feed_read(room=room, cursor=page.cursor, session=link.session)
