from datetime import timedelta

import pytest
from django.utils import timezone

from orders.deadlines import (
    due_soon_q,
    late_compensation_expression,
    late_compensation_fen,
    overdue_q,
    remaining_text,
    ship_deadline_state,
)
from orders.masking import full_address, mask_address, mask_name, mask_phone, masked_receiver
from orders.models import Order, OrderStatus


@pytest.mark.parametrize(
    ("phone", "masked"), [("13812341234", "138****1234"), ("1381234", "****"), ("", "****")]
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("name", "masked"), [("张三", "张*"), ("欧阳娜娜", "欧***"), ("王", "王*")]
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def _order(**fields):
    base = {
        "receiver_name": "张三",
        "receiver_phone": "13812341234",
        "receiver_province": "浙江省",
        "receiver_city": "杭州市",
        "receiver_district": "西湖区",
        "receiver_street": "文新街道",
        "receiver_detail": "文三路 100 号",
    }
    return Order(**{**base, **fields})


def test_address_is_cut_after_the_district():
    order = _order()
    assert mask_address(order) == "浙江省杭州市西湖区****"
    assert full_address(order) == "浙江省杭州市西湖区文新街道文三路 100 号"
    assert masked_receiver(order) == {
        "name": "张*",
        "phone": "138****1234",
        "address": "浙江省杭州市西湖区****",
    }


@pytest.mark.parametrize(
    ("paid_fen", "compensation"),
    [(1000, 500), (5000, 500), (9900, 990), (100000, 10000), (5000000, 10000)],
)
def test_late_compensation_is_ten_percent_within_five_and_hundred_yuan(paid_fen, compensation):
    assert late_compensation_fen(paid_fen) == compensation


@pytest.mark.parametrize(
    ("hours_left", "state", "text"),
    [
        (10, "ok", "剩余 10 小时 0 分"),
        (5, "soon", "剩余 5 小时 0 分"),
        (-3, "overdue", "已超时 3 小时 0 分"),
    ],
)
def test_ship_deadline_state(hours_left, state, text):
    now = timezone.now()
    order = _order(
        status=OrderStatus.AWAITING_SHIPMENT, exp_ship_time=now + timedelta(hours=hours_left)
    )
    assert ship_deadline_state(order, now) == state
    assert remaining_text(order, now) == text


def test_shipped_orders_have_no_deadline():
    order = _order(status=OrderStatus.SHIPPED, exp_ship_time=timezone.now())
    assert ship_deadline_state(order) is None and remaining_text(order) == ""


@pytest.mark.django_db
def test_deadline_filters_and_compensation_sum(shop):
    # given
    from django.db.models import Sum

    from orders.factories import OrderFactory

    orders = [OrderFactory(shop=shop) for _ in range(3)]
    now = timezone.now()
    for order, hours in zip(orders, (-30, -1, 3), strict=True):
        Order.objects.filter(pk=order.pk).update(exp_ship_time=now + timedelta(hours=hours))
    # when
    overdue = Order.objects.filter(overdue_q(now))
    soon = Order.objects.filter(due_soon_q(now))
    at_stake = overdue.aggregate(total=Sum(late_compensation_expression()))["total"]
    # then
    assert overdue.count() == 2 and soon.count() == 1
    assert at_stake == 2 * late_compensation_fen(9900)
