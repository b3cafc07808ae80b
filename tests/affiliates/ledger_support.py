"""Helpers of the ledger tests: orders driven through the real services, with the
after-commit signals (which move the ledger) run as they would be in production."""

from django.db.models import Sum
from django.test import TestCase

from affiliates.ledger.models import Commission, LedgerEntry
from orders.aftersales import (
    aftersale_agree,
    aftersale_buyer_return,
    aftersale_confirm_received,
    aftersale_open,
)
from orders.models import AfterSaleType


def committed(call, *args, **kwargs):
    """Run `call` and then its on-commit callbacks (the signals the ledger follows)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return call(*args, **kwargs)


def refund(context, order, *, amount_fen, type=AfterSaleType.SHIPPED_REFUND_ONLY, quantity=1):
    item = order.items.get()
    aftersale = aftersale_open(
        item_id=item.pk, type=type, quantity=quantity, refund_fen=amount_fen, reason="质量问题"
    )
    committed(aftersale_agree, context=context, aftersale_id=aftersale.pk)
    if type == AfterSaleType.RETURN_REFUND:
        aftersale_buyer_return(
            aftersale_id=aftersale.pk, carrier="中通快递", tracking_no="ZT1234567890"
        )
        committed(aftersale_confirm_received, context=context, aftersale_id=aftersale.pk)


def sums(**filters) -> dict:
    totals = LedgerEntry.objects.filter(**filters).aggregate(
        commission=Sum("commission_fen"), fee=Sum("fee_fen"), net=Sum("net_fen")
    )
    return {key: value or 0 for key, value in totals.items()}


def bucket_net(creator, bucket) -> int:
    return sums(creator=creator, bucket=bucket)["net"]


def commission_of(order) -> Commission:
    return Commission.objects.get(order=order)


def merchant_context(shop):
    """The console context of a new owner of `shop` (to agree to refunds)."""
    from shops.factories import MembershipFactory, UserFactory
    from shops.tenancy import resolve_context

    member = MembershipFactory(user=UserFactory(), shop=shop, role="owner")
    return resolve_context(member.user, requested=f"shop:{shop.pk}")
