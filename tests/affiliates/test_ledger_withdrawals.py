"""提现: holds at once, never more than 可提现, rejection gives the amount back."""

import pytest

from affiliates.factories import ShowcaseCreatorFactory
from affiliates.ledger.exceptions import WithdrawalRefused
from affiliates.ledger.factories import alliance_order
from affiliates.ledger.models import Bucket, EntryKind, LedgerEntry, WithdrawalStatus
from affiliates.ledger.withdrawals import (
    withdrawable_fen,
    withdrawal_pay,
    withdrawal_reject,
    withdrawal_request,
)
from core.state import TransitionRefused
from orders.models import OrderStatus
from shops.factories import UserFactory

from .ledger_support import bucket_net, committed

pytestmark = pytest.mark.django_db


def test_a_request_holds_the_amount_at_once(settled_creator, creator_context):
    # when
    withdrawal = withdrawal_request(
        context=creator_context(settled_creator), amount_fen=1000, account="alipay@example.com"
    )
    # then
    assert withdrawal.status == WithdrawalStatus.REVIEWING
    assert withdrawable_fen(settled_creator.pk) == 782
    assert bucket_net(settled_creator, Bucket.WITHDRAWING) == 1000


def test_more_than_the_balance_is_refused(settled_creator, creator_context):
    # when / then
    with pytest.raises(WithdrawalRefused) as refused:
        withdrawal_request(
            context=creator_context(settled_creator), amount_fen=1783, account="alipay@example.com"
        )
    assert "17.82" in str(refused.value.message)
    assert not LedgerEntry.objects.filter(withdrawal__isnull=False).exists()


def test_estimated_income_cannot_be_withdrawn(creator_context):
    # given
    creator = ShowcaseCreatorFactory()
    committed(alliance_order, creator=creator, status=OrderStatus.SHIPPED)
    # when / then
    with pytest.raises(WithdrawalRefused):
        withdrawal_request(context=creator_context(creator), amount_fen=1, account="x@example.com")


def test_rejection_returns_the_amount(settled_creator, creator_context):
    # given
    withdrawal = withdrawal_request(
        context=creator_context(settled_creator), amount_fen=1782, account="alipay@example.com"
    )
    # when
    withdrawal = withdrawal_reject(
        withdrawal_id=withdrawal.pk, actor=UserFactory(is_staff=True), reason="账户信息有误"
    )
    # then
    assert (withdrawal.status, withdrawal.reject_reason) == (
        WithdrawalStatus.REJECTED,
        "账户信息有误",
    )
    assert withdrawable_fen(settled_creator.pk) == 1782
    assert withdrawal.entries.filter(kind=EntryKind.WITHDRAW_RELEASE).count() == 2


def test_payment_moves_it_to_withdrawn_and_cannot_be_rejected_later(
    settled_creator, creator_context
):
    # given
    withdrawal = withdrawal_request(
        context=creator_context(settled_creator), amount_fen=1782, account="alipay@example.com"
    )
    staff = UserFactory(is_staff=True)
    # when
    withdrawal_pay(withdrawal_id=withdrawal.pk, actor=staff)
    # then
    assert bucket_net(settled_creator, Bucket.WITHDRAWN) == 1782
    assert withdrawable_fen(settled_creator.pk) == 0
    with pytest.raises(TransitionRefused):
        withdrawal_reject(withdrawal_id=withdrawal.pk, actor=staff, reason="晚了")
