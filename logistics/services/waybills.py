"""Printing waybills: one PDF, a page per parcel, receiver in full; a permission,
logged and counted on the parcel."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import context_user
from orders.masking import full_address
from orders.models import Order
from shops.roles import Perm
from shops.tenancy import ConsoleContext, scope

from .. import printing
from ..exceptions import PrintRefused
from ..models import PrintRecord, Shipment, ShipmentLine


@dataclass(frozen=True)
class PrintResult:
    pdf: bytes
    record: PrintRecord


@transaction.atomic
def waybills_print(*, context: ConsoleContext, shipment_ids=(), order_ids=()) -> PrintResult:
    """One PDF with a page per parcel (of the chosen parcels and the chosen orders'
    parcels), receiver in full. Printing is a permission; each print is logged and
    counted on the parcel."""
    context.require_perm(Perm.WAYBILL_PRINT)
    shipment_ids = {int(i) for i in shipment_ids}
    order_ids = {int(i) for i in order_ids}
    if not shipment_ids and not order_ids:
        raise PrintRefused(_("请先选择要打印的订单或包裹。"))
    shops_shipments = scope(Shipment.objects.all(), context)
    if shops_shipments.filter(pk__in=shipment_ids).count() != len(shipment_ids):
        raise Http404
    orders = list(scope(Order.objects.filter(pk__in=order_ids), context).order_by("pk"))
    if len(orders) != len(order_ids):
        raise Http404
    of_orders = ShipmentLine.objects.filter(order_id__in=order_ids).values("shipment_id")
    selected = list(
        shops_shipments.filter(Q(pk__in=shipment_ids) | Q(pk__in=of_orders))
        .select_related("carrier")
        .order_by("pk")
    )
    shipped_orders = set(
        ShipmentLine.objects.filter(shipment__in=selected).values_list("order_id", flat=True)
    )
    unshipped = [order.order_no for order in orders if order.pk not in shipped_orders]
    if unshipped:
        raise PrintRefused(
            _("订单 %(orders)s 还没有发货，没有可打印的包裹。") % {"orders": "、".join(unshipped)}
        )
    lines = ShipmentLine.objects.filter(shipment__in=selected).select_related("order", "item")
    by_shipment: dict[int, list[ShipmentLine]] = {}
    for line in lines.order_by("id"):
        by_shipment.setdefault(line.shipment_id, []).append(line)
    pages = [
        printing.Waybill(
            carrier=shipment.carrier.name,
            tracking_no=shipment.tracking_no,
            receiver_name=by_shipment[shipment.pk][0].order.receiver_name,
            receiver_phone=by_shipment[shipment.pk][0].order.receiver_phone,
            receiver_address=full_address(by_shipment[shipment.pk][0].order),
            sender_name=context.shop.return_contact or context.shop.name,
            sender_phone=context.shop.return_phone,
            sender_address=context.shop.return_address,
            shop_name=context.shop.name,
            order_nos=sorted({line.order.order_no for line in by_shipment[shipment.pk]}),
            items=[
                (line.item.product_title, line.item.spec_text, line.quantity)
                for line in by_shipment[shipment.pk]
            ],
            shipped_at=timezone.localtime(shipment.shipped_at),
        )
        for shipment in selected
    ]
    pdf = printing.waybills_pdf(pages)
    record = PrintRecord.objects.create(
        shop=context.shop, actor=context_user(context), page_count=len(pages)
    )
    record.shipments.set(selected)
    Shipment.objects.filter(pk__in=[s.pk for s in selected]).update(
        printed_at=timezone.now(), print_count=F("print_count") + 1
    )
    return PrintResult(pdf=pdf, record=record)
