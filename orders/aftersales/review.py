"""The merchant's side: agree, reject, confirm the returned goods; and the exchange
parcel logistics reports."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.actors import context_user
from core.models import Said
from shops.roles import Perm
from shops.tenancy import ConsoleContext, get_scoped_or_404

from .. import rules
from ..exceptions import AfterSaleError
from ..models import AfterSale, AfterSaleStatus, AfterSaleType
from .machine import aftersale_set_status, lock_aftersale, refuse_unless
from .refund import refund_locked

A = AfterSaleStatus
T = AfterSaleType


def _scoped(context: ConsoleContext, aftersale_id: int) -> AfterSale:
    context.require_perm(Perm.AFTERSALE_HANDLE)
    get_scoped_or_404(AfterSale.objects.all(), context, pk=aftersale_id)
    return lock_aftersale(aftersale_id)


@dataclass(frozen=True)
class _Answer:
    """A merchant's answer, given when `allowed(aftersale)` (an orders.rules predicate;
    a refusal names `action`): on to `to` when `goes_on(aftersale)`, with the event text
    `code`, else the refund is paid (refund_locked)."""

    allowed: Callable[[AfterSale], bool]
    action: Promise
    goes_on: Callable[[AfterSale], bool]
    to: int
    code: str

    def give(self, context: ConsoleContext, aftersale_id: int) -> AfterSale:
        aftersale = _scoped(context, aftersale_id)
        refuse_unless(aftersale, self.allowed(aftersale), self.action)
        user = context_user(context)
        if self.goes_on(aftersale):
            return aftersale_set_status(
                aftersale_id=aftersale.pk, to_status=self.to, actor=user, note=Said(self.code)
            )
        return refund_locked(aftersale, actor=user)


_AGREE = _Answer(
    allowed=rules.can_agree,
    action=gettext_lazy("同意"),
    goes_on=rules.agree_awaits_return,
    to=A.AWAITING_BUYER_RETURN,
    code="agreed",
)
_RECEIVE_RETURN = _Answer(
    allowed=rules.can_receive_return,
    action=gettext_lazy("确认收货"),
    goes_on=lambda aftersale: aftersale.type == T.EXCHANGE,
    to=A.AWAITING_EXCHANGE_SHIPMENT,
    code="received_exchange",
)


@transaction.atomic
def aftersale_agree(*, context: ConsoleContext, aftersale_id: int) -> AfterSale:
    """同意: refund-only types are refunded at once; return types wait for the goods."""
    return _AGREE.give(context, aftersale_id)


@transaction.atomic
def aftersale_reject(*, context: ConsoleContext, aftersale_id: int, reason: str) -> AfterSale:
    reason = (reason or "").strip()
    if not reason:
        raise AfterSaleError(
            _("请填写拒绝原因，买家会看到它。"), fields={"reason": [_("请填写拒绝原因。")]}
        )
    aftersale = _scoped(context, aftersale_id)
    refuse_unless(aftersale, rules.can_reject(aftersale), _("拒绝"))
    aftersale.reject_reason = reason[:200]
    aftersale.save(update_fields=["reject_reason", "updated_at"])
    return aftersale_set_status(
        aftersale_id=aftersale.pk,
        to_status=A.REJECTED,
        actor=context_user(context),
        note=reason,
    )


@transaction.atomic
def aftersale_confirm_received(*, context: ConsoleContext, aftersale_id: int) -> AfterSale:
    """确认收货 of the returned goods: refund (退货退款) or ship the exchange (换货)."""
    return _RECEIVE_RETURN.give(context, aftersale_id)


@transaction.atomic
def aftersale_ship_exchange(*, aftersale_id: int, actor=None, note: Said | str = "") -> AfterSale:
    """The exchange went out (logistics calls this): 待商家发货 → 售后成功."""
    return aftersale_set_status(
        aftersale_id=aftersale_id,
        to_status=A.SUCCEEDED,
        actor=actor,
        note=note or Said("exchange_shipped"),
    )
