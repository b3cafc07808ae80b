"""Incremental sync: GET /api/v1/orders/changes/ never misses a change, even when
transactions commit out of the order they wrote in."""

import random
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from orders.changes import changes_after
from orders.factories import OrderFactory
from orders.models import Order

URL = "/api/v1/orders/changes/"


def _client(membership):
    client = APIClient()
    client.force_authenticate(membership.user)
    return client


def _poll_all(shop_id, cursor=None):
    """Every change available now, following cursors; returns (changes, cursor)."""
    seen = []
    while True:
        page = changes_after(shop_id=shop_id, cursor=cursor, size=100)
        seen.extend(page.changes)
        cursor = page.cursor
        if not page.has_more:
            return seen, cursor


def _touch(order_id):
    Order.objects.filter(pk=order_id).update(updated_at=timezone.now())


@pytest.mark.django_db
def test_a_new_order_is_a_change_with_the_whole_order(owner):
    # given
    order = OrderFactory(shop=owner.shop)
    # when
    body = _client(owner).get(URL).json()
    # then
    orders = [change["order"] for change in body["results"]]
    assert [o["order_no"] for o in orders] == [order.order_no]
    assert orders[0]["items"] and "aftersales" in orders[0] and orders[0]["parcels"] == []


# Committed for real: inside one transaction an order is one change, whatever it writes.
@pytest.mark.django_db(transaction=True)
def test_the_cursor_returns_only_what_changed_since(owner):
    # given
    first, second = OrderFactory(shop=owner.shop), OrderFactory(shop=owner.shop)
    client = _client(owner)
    cursor = client.get(URL).json()["cursor"]
    # when
    _touch(second.pk)
    body = client.get(URL, {"cursor": cursor}).json()
    # then
    assert [c["order"]["id"] for c in body["results"]] == [second.pk]
    assert client.get(URL, {"cursor": body["cursor"]}).json()["results"] == []
    assert first.pk != second.pk


@pytest.mark.django_db
def test_pages_hold_at_most_the_asked_size(owner):
    # given
    for _ in range(3):
        OrderFactory(shop=owner.shop)
    client = _client(owner)
    # when
    page = client.get(URL, {"size": 2}).json()
    rest = client.get(URL, {"size": 2, "cursor": page["cursor"]}).json()
    # then
    assert len(page["results"]) == 2 and page["has_more"] is True
    assert len(rest["results"]) == 1 and rest["has_more"] is False


@pytest.mark.django_db
def test_another_shops_changes_are_not_seen(owner, other_owner):
    # given
    OrderFactory(shop=other_owner.shop)
    # when
    body = _client(owner).get(URL).json()
    # then
    assert body["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"cursor": "not-a-cursor"}, {"size": "101"}, {"size": "0"}])
def test_bad_parameters_are_named(owner, params):
    # when
    response = _client(owner).get(URL, params)
    # then
    assert response.status_code == 400
    assert set(response.json()["fields"]) == set(params)


@pytest.mark.django_db(transaction=True)
def test_a_transaction_that_commits_last_is_not_skipped(owner):
    # given: two orders; T1 writes A first, T2 writes B later but commits first
    a, b = OrderFactory(shop=owner.shop), OrderFactory(shop=owner.shop)
    _seen, cursor = _poll_all(owner.shop_id)
    t1_wrote, t2_done, release_t1 = threading.Event(), threading.Event(), threading.Event()

    def t1():
        with transaction.atomic():
            _touch(a.pk)
            t1_wrote.set()
            release_t1.wait(10)
        connection.close()

    def t2():
        t1_wrote.wait(10)
        with transaction.atomic():
            _touch(b.pk)
        t2_done.set()
        connection.close()

    threads = [threading.Thread(target=t1), threading.Thread(target=t2)]
    for thread in threads:
        thread.start()
    t2_done.wait(10)
    # when: polled while T1 is still open, then after it commits
    while_open, cursor = _poll_all(owner.shop_id, cursor)
    release_t1.set()
    for thread in threads:
        thread.join()
    after, _cursor = _poll_all(owner.shop_id, cursor)
    # then: B waits for A instead of overtaking it, and nothing is lost
    assert while_open == []
    assert [change.order_id for change in after] == [a.pk, b.pk]


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_and_a_poller_lose_and_repeat_nothing(owner):
    # given: 10,000 changes from four writers while a reader polls all along
    orders = [OrderFactory(shop=owner.shop).pk for _ in range(20)]
    _seen, start = _poll_all(owner.shop_id)
    writers_done = threading.Event()
    polled = []

    def write(seed):
        rng = random.Random(seed)
        for _ in range(2_500):
            with transaction.atomic():
                _touch(rng.choice(orders))
        connection.close()

    def poll():
        cursor = start
        while True:
            finished = writers_done.is_set()
            changes, cursor = _poll_all(owner.shop_id, cursor)
            polled.extend(change.pk for change in changes)
            if finished:
                break
        connection.close()

    writers = [threading.Thread(target=write, args=(seed,)) for seed in range(4)]
    reader = threading.Thread(target=poll)
    # when
    reader.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    writers_done.set()
    reader.join()
    # then
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM orders_orderchange WHERE shop_id = %s AND id > %s",
            [owner.shop_id, max(c.pk for c in _seen)],
        )
        logged = {row[0] for row in cursor.fetchall()}
    assert len(logged) == 10_000
    assert len(polled) == len(set(polled)) and set(polled) == logged
