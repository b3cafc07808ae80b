"""Payment: the provider's confirmation (1 → 105), then acceptance (105 → 2)."""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import clean_or_raise
from core.models import Said
from core.money import fen_to_yuan

from .. import rules
from ..deadlines import exp_ship_time
from ..exceptions import PaymentRejected
from ..models import Order, OrderEvent, OrderEventKind, OrderStatus, Payment, PayMethod
from ..status import lock_order, order_set_status_locked

logger = logging.getLogger("orders.payments")


@transaction.atomic
def order_pay(
    *, order_id: int, payment_id: str, amount_fen: int, pay_method: int, provider: str, paid_at
) -> Order:
    """Record the provider's payment and move the order 1 → 105, then (after commit)
    to 2 through order_accept_task. A payment id seen before changes nothing."""
    order = lock_order(order_id)
    previous = Payment.objects.filter(payment_id=payment_id).first()
    if previous is not None:
        if previous.order_id != order.pk:
            logger.warning("payment %s replayed for another order %s", payment_id, order.order_no)
            raise PaymentRejected(_("支付单号 %(id)s 已用于其他订单。") % {"id": payment_id})
        return order
    if int(amount_fen) != order.paid_fen:
        logger.warning(
            "payment %s refused: amount %s fen, order %s expects %s fen",
            payment_id,
            amount_fen,
            order.order_no,
            order.paid_fen,
        )
        raise PaymentRejected(
            _("支付金额 ¥%(got)s 与订单 %(no)s 应付 ¥%(want)s 不符。")
            % {
                "got": fen_to_yuan(int(amount_fen)),
                "no": order.order_no,
                "want": fen_to_yuan(order.paid_fen),
            }
        )
    if not rules.can_pay(order):
        logger.warning(
            "payment %s refused: order %s is %s", payment_id, order.order_no, order.status
        )
        raise PaymentRejected(
            _("订单 %(no)s 当前为“%(status)s”，不能再支付。")
            % {"no": order.order_no, "status": order.get_status_display()}
        )
    if pay_method not in PayMethod.values:
        raise PaymentRejected(_("不支持的支付方式：%(m)s。") % {"m": pay_method})
    payment = Payment(
        order=order,
        provider=provider,
        payment_id=payment_id,
        amount_fen=amount_fen,
        pay_method=pay_method,
        paid_at=paid_at,
    )
    clean_or_raise(payment, PaymentRejected, exclude=["order"])
    payment.save()
    promises = [
        item.product.ship_promise
        for item in order.items.select_related("product")
        if item.product is not None
    ]
    order.pay_method = pay_method
    order.paid_at = paid_at
    order.exp_ship_time = exp_ship_time(
        paid_at=paid_at, ship_within_hours=order.shop.ship_within_hours, promises=promises
    )
    order.save(update_fields=["pay_method", "paid_at", "exp_ship_time", "updated_at"])
    OrderEvent.objects.create(
        order=order,
        kind=OrderEventKind.PAYMENT,
        actor_label=_("支付平台"),
        code="paid",
        params={"method": pay_method, "amount": fen_to_yuan(amount_fen), "id": payment_id},
    )
    order = order_set_status_locked(order, to_status=OrderStatus.PAID, actor_label=_("支付平台"))
    transaction.on_commit(lambda: _enqueue_accept(order.pk))
    return order


def _enqueue_accept(order_id: int) -> None:
    from ..tasks import order_accept_task  # tasks import this module

    order_accept_task.delay(order_id)


@transaction.atomic
def order_accept(*, order_id: int) -> Order:
    """105 已支付 → 2 备货中 once the payment is confirmed; the place for a future
    risk check. Anything but 105 is left as it is (the task may run twice)."""
    order = lock_order(order_id)
    if order.status != OrderStatus.PAID:
        return order
    return order_set_status_locked(
        order,
        to_status=OrderStatus.AWAITING_SHIPMENT,
        actor_label=_("系统"),
        note=Said("accepted"),
    )
