"""Real threads on PostgreSQL: the settlement job and withdrawals side by side."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from affiliates.factories import ShowcaseCreatorFactory
from affiliates.ledger.exceptions import WithdrawalRefused
from affiliates.ledger.factories import alliance_order
from affiliates.ledger.models import EntryKind, LedgerEntry, Withdrawal
from affiliates.ledger.settlement import ledger_settle_due
from affiliates.ledger.withdrawals import withdrawable_fen, withdrawal_request
from orders.models import OrderStatus

pytestmark = pytest.mark.django_db(transaction=True)


def _together(count, work):
    """Run `work()` in `count` threads released at the same moment; their results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = work()
        except Exception as exc:  # what a thread raised is the result under test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_jobs_settle_each_entry_once():
    # given: five completed orders, due
    creator = ShowcaseCreatorFactory()
    for _ in range(5):
        alliance_order(creator=creator, status=OrderStatus.COMPLETED)
    later = timezone.now() + timedelta(days=30)
    # when
    results = _together(3, lambda: ledger_settle_due(now=later))
    # then
    assert sum(r["commissions"] for r in results) == 5
    assert sum(r["settlements"] for r in results) == 5
    assert LedgerEntry.objects.filter(kind=EntryKind.SETTLE).count() == 10


def test_two_concurrent_withdrawals_never_exceed_the_balance(settings):
    # given: ¥17.82 settled
    settings.SETTLEMENT_DELAY_DAYS = 0
    creator = ShowcaseCreatorFactory()
    alliance_order(creator=creator, status=OrderStatus.COMPLETED)
    ledger_settle_due()
    from shops.tenancy import ContextKind, resolve_context

    def ask():
        context = resolve_context(creator.user, requested=ContextKind.CREATOR)
        return withdrawal_request(context=context, amount_fen=1000, account="alipay@example.com")

    # when: two requests of ¥10.00 at the same moment
    results = _together(2, ask)
    # then: one held, one refused
    assert sorted(type(r).__name__ for r in results) == ["Withdrawal", "WithdrawalRefused"]
    assert any(isinstance(r, WithdrawalRefused) for r in results)
    assert Withdrawal.objects.count() == 1
    assert withdrawable_fen(creator.pk) == 782
