"""The commission ledger driven by real order events: place, pay, ship, complete, refund."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from affiliates.factories import ShowcaseCreatorFactory
from affiliates.ledger.factories import alliance_offer, alliance_order
from affiliates.ledger.models import (
    Bucket,
    Commission,
    CommissionState,
    EntryKind,
    LedgerEntry,
)
from affiliates.ledger.settlement import ledger_settle_due
from affiliates.ledger.withdrawals import withdrawable_fen
from affiliates.models import AllianceRate
from orders.factories import OrderFactory, pay
from orders.models import AfterSaleType, OrderStatus

from .ledger_support import bucket_net, commission_of, committed, merchant_context, refund, sums

pytestmark = pytest.mark.django_db
S = CommissionState


@pytest.fixture
def creator():
    return ShowcaseCreatorFactory()


def _order(creator, status, **kwargs):
    return committed(alliance_order, creator=creator, status=status, **kwargs)


def test_a_paid_order_earns_an_estimated_commission_on_goods_only(creator):
    # when: ¥99.00 at 20% with ¥8.00 shipping
    order = _order(creator, OrderStatus.AWAITING_SHIPMENT, shipping_fen=800)
    # then
    commission = commission_of(order)
    assert (commission.state, commission.rate_bp) == (S.ESTIMATED, 2000)
    assert sums(commission=commission) == {"commission": 1980, "fee": 198, "net": 1782}
    assert bucket_net(creator, Bucket.ESTIMATED) == 1782


def test_the_rate_is_the_one_in_force_when_the_order_was_placed(creator):
    # given: an order placed at 20%, then the rate goes up before it is paid
    offer = alliance_offer(rate_bp=2000)
    order = _order(creator, OrderStatus.UNPAID, offer=offer)
    AllianceRate.objects.create(offer=offer, rate_bp=3000, effective_from=timezone.now())
    # when
    committed(pay, order)
    # then
    assert commission_of(order).rate_bp == 2000


def test_a_shop_order_earns_no_commission(creator, owner):
    # when
    committed(OrderFactory, shop=owner.shop, status=OrderStatus.AWAITING_SHIPMENT)
    # then
    assert not Commission.objects.exists()


def test_completion_makes_it_pending_and_the_job_settles_it_after_the_delay(creator, settings):
    # given
    settings.SETTLEMENT_DELAY_DAYS = 7
    order = _order(creator, OrderStatus.COMPLETED)
    commission = commission_of(order)
    assert commission.state == S.PENDING
    assert bucket_net(creator, Bucket.PENDING) == 1782
    # when: not yet due, then due
    early = ledger_settle_due(now=timezone.now() + timedelta(days=6))
    late = ledger_settle_due(now=timezone.now() + timedelta(days=7, minutes=1))
    # then
    commission.refresh_from_db()
    assert (early["commissions"], late["commissions"], commission.state) == (0, 1, S.SETTLED)
    assert bucket_net(creator, Bucket.PENDING) == 0
    assert withdrawable_fen(creator.pk) == 1782


def test_a_full_refund_before_shipping_invalidates_it(creator):
    # given
    order = _order(creator, OrderStatus.AWAITING_SHIPMENT)
    # when
    refund(
        merchant_context(order.shop),
        order,
        amount_fen=9900,
        type=AfterSaleType.UNSHIPPED_REFUND_ONLY,
    )
    # then
    order.refresh_from_db()
    commission = commission_of(order)
    assert (order.status, commission.state) == (OrderStatus.CANCELLED, S.INVALID)
    assert bucket_net(creator, Bucket.ESTIMATED) == 0
    assert bucket_net(creator, Bucket.INVALID) == 1782


def test_a_partial_refund_is_an_adjustment_entry(creator):
    # given: 2 × ¥99.00, shipped
    order = _order(creator, OrderStatus.SHIPPED, quantity=2)
    # when: ¥50.00 back
    refund(merchant_context(order.shop), order, amount_fen=5000)
    # then: base 148.00 → commission 29.60, fee 2.96
    commission = commission_of(order)
    adjustment = commission.entries.get(kind=EntryKind.ADJUST)
    assert (adjustment.commission_fen, adjustment.fee_fen, adjustment.net_fen) == (
        -1000,
        -100,
        -900,
    )
    assert commission.state == S.ESTIMATED
    assert sums(commission=commission) == {"commission": 2960, "fee": 296, "net": 2664}


def test_a_refund_after_settlement_is_a_negative_entry(creator, settings):
    # given: settled at once
    settings.SETTLEMENT_DELAY_DAYS = 0
    order = _order(creator, OrderStatus.COMPLETED)
    ledger_settle_due()
    # when: refunded in full after settlement
    refund(merchant_context(order.shop), order, amount_fen=9900, type=AfterSaleType.RETURN_REFUND)
    # then
    commission = commission_of(order)
    clawback = commission.entries.get(kind=EntryKind.CLAWBACK)
    assert (commission.state, clawback.net_fen, clawback.bucket) == (
        S.SETTLED,
        -1782,
        Bucket.SETTLED,
    )
    assert withdrawable_fen(creator.pk) == 0


def test_repeated_signals_write_nothing_more(creator):
    # given
    order = _order(creator, OrderStatus.COMPLETED)
    count = LedgerEntry.objects.count()
    from affiliates.ledger import services

    # when
    services.commissions_record_paid(order_id=order.pk)
    services.commissions_confirm(order_id=order.pk)
    services.commissions_follow_refunds(order_id=order.pk)
    # then
    assert LedgerEntry.objects.count() == count


def test_the_sums_reconcile_to_the_fen(creator):
    # given: several orders in several states, odd amounts
    offer = alliance_offer(price_fen=3333, rate_bp=1234)
    for status in (OrderStatus.AWAITING_SHIPMENT, OrderStatus.SHIPPED, OrderStatus.COMPLETED):
        order = _order(creator, status, offer=offer, quantity=3)
    refund(merchant_context(order.shop), order, amount_fen=1111, type=AfterSaleType.RETURN_REFUND)
    # when
    totals = sums(creator=creator)
    # then
    assert totals["net"] + totals["fee"] == totals["commission"]


def test_the_database_refuses_to_change_or_delete_an_entry(creator):
    # given
    _order(creator, OrderStatus.AWAITING_SHIPMENT)
    entry = LedgerEntry.objects.get()
    # when / then
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(reason="改一下")
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).reason == entry.reason
