"""The after-sale state machine: its table, the one place a status is written
(aftersale_set_status), and the event rows and signal each move leaves."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import acting_user
from core.models import Said, said_fields
from core.state import Machine, announce_on_commit

from ..exceptions import AfterSaleRefused
from ..models import (
    AfterSale,
    AfterSaleEvent,
    AfterSaleStatus,
    AfterSaleType,
    OrderEvent,
    OrderEventKind,
)
from ..signals import aftersale_status_changed
from ..status import lock_order

A = AfterSaleStatus
T = AfterSaleType

TRANSITIONS: dict[int, frozenset[int]] = {
    A.AWAITING_MERCHANT: frozenset({A.AWAITING_BUYER_RETURN, A.SUCCEEDED, A.REJECTED, A.CLOSED}),
    A.AWAITING_BUYER_RETURN: frozenset({A.AWAITING_MERCHANT_RECEIPT, A.CLOSED}),
    A.AWAITING_MERCHANT_RECEIPT: frozenset({A.SUCCEEDED, A.AWAITING_EXCHANGE_SHIPMENT}),
    A.AWAITING_EXCHANGE_SHIPMENT: frozenset({A.SUCCEEDED}),
    A.SUCCEEDED: frozenset(),
    A.REJECTED: frozenset(),
    A.CLOSED: frozenset(),
}
FINAL = (A.SUCCEEDED, A.REJECTED, A.CLOSED)


def _refuse(aftersale: AfterSale, from_status: int, to_status: int) -> AfterSaleRefused:
    return AfterSaleRefused(
        _("售后单 %(no)s 当前为“%(from)s”，不能变为“%(to)s”。")
        % {"no": aftersale.aftersale_no, "from": A(from_status).label, "to": A(to_status).label}
    )


def refuse_unless(aftersale: AfterSale, allowed: bool, action: str) -> None:
    """AfterSaleRefused naming the after-sale's status unless `allowed` (an orders.rules
    predicate: the same one that decides whether the page shows the button)."""
    if not allowed:
        raise AfterSaleRefused(
            _("售后单 %(no)s 当前为“%(status)s”，不能%(action)s。")
            % {
                "no": aftersale.aftersale_no,
                "status": aftersale.get_status_display(),
                "action": action,
            }
        )


MACHINE = Machine(TRANSITIONS, label=lambda status: A(status).label, refusal=_refuse)
REFUND_TYPES = (T.RETURN_REFUND, T.SHIPPED_REFUND_ONLY, T.UNSHIPPED_REFUND_ONLY)
# The goods come back to the shelf: returned, or never shipped.
RESTOCK_TYPES = (T.RETURN_REFUND, T.UNSHIPPED_REFUND_ONLY)


def lock_aftersale(aftersale_id: int) -> AfterSale:
    """Lock the order first, then the after-sale: the same order as shipping takes."""
    order_id = AfterSale.objects.values_list("order_id", flat=True).get(pk=aftersale_id)
    lock_order(order_id)
    return (
        AfterSale.objects.select_for_update(of=("self",))
        .select_related("order", "item")
        .get(pk=aftersale_id)
    )


@transaction.atomic
def aftersale_set_status(
    *, aftersale_id: int, to_status: int, actor=None, actor_label: str = "", note: Said | str = ""
) -> AfterSale:
    """The one place an after-sale's status is written: lock, check TRANSITIONS, stamp,
    record an AfterSaleEvent (and a line in the order's timeline), announce on commit."""
    aftersale = lock_aftersale(aftersale_id)

    def stamp(row: AfterSale, from_status: int, to: int) -> None:
        if to in FINAL:
            row.finished_at = timezone.now()
        row.save(update_fields=["status", "finished_at", "updated_at"])
        record_event(row, from_status, actor=actor, actor_label=actor_label, note=note)

    MACHINE.move_locked([aftersale], to_status, on_change=stamp)
    return aftersale


def record_event(aftersale: AfterSale, from_status, *, actor, actor_label: str, note) -> None:
    """`note`: a Said of AfterSaleEvent.MESSAGES, or a person's words (reason)."""
    user = acting_user(actor)
    said = said_fields(note)
    AfterSaleEvent.objects.create(
        aftersale=aftersale,
        from_status=from_status,
        to_status=aftersale.status,
        actor=user,
        actor_label=actor_label,
        **said,
    )
    OrderEvent.objects.create(
        order_id=aftersale.order_id,
        kind=OrderEventKind.AFTERSALE,
        actor=user,
        actor_label=actor_label,
        code="aftersale",
        params={
            "no": aftersale.aftersale_no,
            "status": aftersale.status,
            "detail_code": said["code"],
            "detail": said["params"],
        },
        note=said["note"],
    )
    announce_on_commit(
        aftersale_status_changed,
        AfterSale,
        [
            {
                "aftersale_id": aftersale.pk,
                "order_id": aftersale.order_id,
                "from_status": from_status,
                "to_status": aftersale.status,
            }
        ],
    )
