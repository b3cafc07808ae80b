"""What the console does to orders besides status: 商家备注, 旗帜, and revealing the
receiver (logged)."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.actors import context_user
from shops.roles import Perm
from shops.tenancy import ConsoleContext, get_scoped_or_404, scope

from ..exceptions import OrderError
from ..models import Order, OrderEvent, OrderEventKind, RemarkFlag
from ..status import lock_orders


@transaction.atomic
def order_update_remark(
    *,
    context: ConsoleContext,
    order_ids: list[int],
    remark: str | None = None,
    flag: int | None = None,
) -> int:
    """商家备注 and/or 旗帜 on the selected orders of the current shop; returns how
    many were updated. Orders of other shops are silently out of reach."""
    context.require_perm(Perm.ORDER_REMARK)
    if remark is None and flag is None:
        raise OrderError(_("请填写备注或选择旗帜。"))
    if flag is not None and flag not in RemarkFlag.values:
        raise OrderError(_("旗帜颜色无效。"), fields={"flag": [_("旗帜颜色无效。")]})
    if remark is not None:
        remark = remark.strip()
        if len(remark) > 500:
            message = _("商家备注最多 500 个字。")
            raise OrderError(message, fields={"remark": [message]})
    ids = list(scope(Order.objects.filter(pk__in=order_ids), context).values_list("pk", flat=True))
    orders = lock_orders(ids)
    user = context_user(context)
    for order in orders:
        if remark is not None:
            order.seller_remark = remark
        if flag is not None:
            order.remark_flag = flag
    Order.objects.bulk_update(orders, ["seller_remark", "remark_flag"])
    OrderEvent.objects.bulk_create(
        OrderEvent(
            order=order,
            kind=OrderEventKind.REMARK,
            actor=user,
            code="remark",
            params={"remark": remark, "flag": flag},
        )
        for order in orders
    )
    return len(orders)


@transaction.atomic
def order_reveal_receiver(*, context: ConsoleContext, order_id: int) -> Order:
    """The order with its receiver in full, for who may see it; every reveal is logged
    with who and when."""
    context.require_perm(Perm.RECEIVER_REVEAL)
    order = get_scoped_or_404(Order.objects.select_related("shop"), context, pk=order_id)
    OrderEvent.objects.create(
        order=order,
        kind=OrderEventKind.RECEIVER_REVEAL,
        actor=context_user(context),
        code="reveal",
    )
    return order
