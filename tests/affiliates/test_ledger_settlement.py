"""Shop settlement (资金) and the settlement job: breakdown, states, catch-up, repeats."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from affiliates.factories import ShowcaseCreatorFactory
from affiliates.ledger.factories import alliance_offer, alliance_order
from affiliates.ledger.models import (
    Commission,
    CommissionState,
    PlatformFeeRate,
    SettlementState,
    ShopSettlement,
)
from affiliates.ledger.settlement import ledger_settle_due
from affiliates.tasks import ledger_settle_due_task
from orders.factories import OrderFactory
from orders.models import AfterSaleType, OrderStatus

from .ledger_support import committed, merchant_context, refund

pytestmark = pytest.mark.django_db
ST = SettlementState


def test_an_alliance_order_settles_goods_plus_shipping_less_fee_and_commission(settings):
    # given: ¥99.00 + ¥8.00 shipping, 5% platform fee by default, 20% commission
    settings.PLATFORM_SERVICE_FEE_DEFAULT_BP = 500
    # when
    order = committed(
        alliance_order,
        creator=ShowcaseCreatorFactory(),
        shipping_fen=800,
        status=OrderStatus.COMPLETED,
    )
    # then
    s = ShopSettlement.objects.get(order=order)
    assert (s.goods_fen, s.shipping_fen, s.platform_fee_fen, s.commission_fen, s.refund_fen) == (
        9900,
        800,
        495,
        1980,
        0,
    )
    assert (s.settle_fen, s.state) == (9900 + 800 - 495 - 1980, ST.PENDING)


def test_the_platform_fee_follows_the_first_level_category():
    # given: 3% for the product's first-level category
    offer = alliance_offer()
    category = offer.product.category
    PlatformFeeRate.objects.create(category=category.parent or category, rate_bp=300)
    # when
    order = committed(OrderFactory, shop=offer.shop, lines=[(offer.product.skus.get().pk, 1)])
    # then
    assert ShopSettlement.objects.get(order=order).platform_fee_fen == 297


def test_a_refund_lowers_the_settlement_and_the_commission():
    # given
    order = committed(
        alliance_order, creator=ShowcaseCreatorFactory(), status=OrderStatus.SHIPPED, quantity=2
    )
    # when: ¥50.00 back
    refund(merchant_context(order.shop), order, amount_fen=5000)
    # then: base 148.00: fee 7.40, commission 29.60
    s = ShopSettlement.objects.get(order=order)
    assert (s.refund_fen, s.platform_fee_fen, s.commission_fen) == (5000, 740, 2960)
    assert s.settle_fen == 19800 - 740 - 2960 - 5000


def test_an_order_refunded_before_shipping_closes_its_settlement():
    # given
    order = committed(OrderFactory, status=OrderStatus.AWAITING_SHIPMENT)
    # when
    refund(
        merchant_context(order.shop),
        order,
        amount_fen=9900,
        type=AfterSaleType.UNSHIPPED_REFUND_ONLY,
    )
    # then
    assert ShopSettlement.objects.get(order=order).state == ST.CLOSED


def test_the_job_settles_once_when_run_twice():
    # given
    order = committed(
        alliance_order, creator=ShowcaseCreatorFactory(), status=OrderStatus.COMPLETED
    )
    later = timezone.now() + timedelta(days=8)
    # when
    first = ledger_settle_due(now=later)
    second = ledger_settle_due(now=later)
    # then
    assert first == {"commissions": 1, "settlements": 1}
    assert second == {"commissions": 0, "settlements": 0}
    assert ShopSettlement.objects.get(order=order).state == ST.SETTLED


def test_the_job_catches_up_after_a_week_of_downtime(settings):
    # given: orders completed on different days, the job never ran
    settings.SETTLEMENT_DELAY_DAYS = 7
    creator = ShowcaseCreatorFactory()
    orders = [
        committed(alliance_order, creator=creator, status=OrderStatus.COMPLETED) for _ in range(3)
    ]
    for days_ago, order in zip((14, 10, 8), orders, strict=True):
        ShopSettlement.objects.filter(order=order).update(
            settle_due_at=timezone.now() - timedelta(days=days_ago - 7)
        )
        Commission.objects.filter(order=order).update(
            settle_due_at=timezone.now() - timedelta(days=days_ago - 7)
        )
    # when
    done = ledger_settle_due()
    # then
    assert done == {"commissions": 3, "settlements": 3}
    assert set(Commission.objects.values_list("state", flat=True)) == {CommissionState.SETTLED}


def test_the_command_and_the_beat_task_run_the_same_job():
    # given
    committed(alliance_order, creator=ShowcaseCreatorFactory(), status=OrderStatus.COMPLETED)
    ShopSettlement.objects.update(settle_due_at=timezone.now() - timedelta(minutes=1))
    Commission.objects.update(settle_due_at=timezone.now() - timedelta(minutes=1))
    out = io.StringIO()
    # when
    call_command("settle_due", stdout=out)
    again = ledger_settle_due_task.delay().get()
    # then
    assert "1 commissions, 1 shop orders settled" in out.getvalue()
    assert again == {"commissions": 0, "settlements": 0}
    assert "ledger-settle-due" in settings.CELERY_BEAT_SCHEDULE
