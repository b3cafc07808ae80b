import pytest
from django.core.management import call_command

from affiliates.ledger.models import (
    Commission,
    CommissionState,
    SettlementState,
    ShopSettlement,
    Withdrawal,
    WithdrawalStatus,
)
from affiliates.ledger.withdrawals import withdrawable_fen

pytestmark = pytest.mark.django_db


def test_demo_creators_have_income_in_every_state_and_a_withdrawal_under_review():
    # when
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # then
    for username in ("creator", "creator2"):
        commissions = Commission.objects.filter(creator__user__username=username)
        assert set(commissions.values_list("state", flat=True)) == set(CommissionState.values)
        creator = commissions.first().creator
        assert withdrawable_fen(creator.pk) > 0
        assert Withdrawal.objects.get(creator=creator).status == WithdrawalStatus.REVIEWING
    states = set(ShopSettlement.objects.values_list("state", flat=True))
    assert states == set(SettlementState.values)
