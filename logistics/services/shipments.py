"""The one shipping service, `shipments_create`, behind every entry point: one order,
part of one, several orders each with its number, 合单, batch files, the API, exchanges.

Shipped quantities are recorded by orders.shipping (which locks the orders in pk order
and derives 101/3); the exchange parcel of a 换货 after-sale is reported to
orders.aftersales instead.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import context_user
from core.exceptions import clean_or_raise
from core.models import Said
from orders.aftersales import aftersale_ship_exchange
from orders.models import (
    RECEIVER_FIELDS,
    AfterSale,
    AfterSaleType,
    Order,
    OrderItem,
)
from orders.rules import can_ship_exchange
from orders.shipping import orders_record_shipments
from shops.roles import Perm
from shops.tenancy import ConsoleContext, scope

from .. import messages
from ..exceptions import ShipRequestInvalid
from ..models import Carrier, ParcelNumber, Shipment, ShipmentLine
from ..selectors import normalize_tracking_no, receiver_key, tracking_no_problem

# Foreign keys the services set from rows they have just read: full_clean would check
# each one with a query per object, which a 10,000-row batch cannot afford.
TRUSTED_FKS = ["shop", "carrier", "shipped_by", "batch", "aftersale", "shipment", "order", "item"]


@dataclass
class ShipRequest:
    """One parcel to ship: its carrier and tracking number and the (order item id,
    quantity) lines it carries; `aftersale_id` makes it the exchange parcel of a 换货."""

    carrier: Carrier
    tracking_no: str
    lines: list[tuple[int, int]] = field(default_factory=list)
    aftersale_id: int | None = None


@dataclass
class ShipOutcome:
    shipments: list[Shipment]
    # Shipped anyway, but worth a second look: a tracking number already used for
    # another receiver ({"no", "orders"}; `messages.REUSED_NUMBER` says it).
    reused: list[dict]

    @property
    def warnings(self) -> list[str]:
        return [str(messages.REUSED_NUMBER) % reused for reused in self.reused]


def _same_receiver(orders: list[Order]) -> bool:
    return len({receiver_key(order) for order in orders}) == 1


@dataclass
class _Parcel:
    request: ShipRequest
    label: str
    number: str
    wanted: Counter
    aftersale: AfterSale | None = None
    orders: list[Order] = field(default_factory=list)


def _parcel_label(index: int, total: int) -> str:
    return _("第 %(n)s 个包裹：") % {"n": index} if total > 1 else ""


def _read_requests(requests: list[ShipRequest], aftersales: dict[int, AfterSale]) -> list[_Parcel]:
    """Check what can be checked without the items: carrier, number, quantities."""
    parcels = []
    for index, request in enumerate(requests, start=1):
        label = _parcel_label(index, len(requests))
        carrier = request.carrier
        if carrier is None or not carrier.is_active:
            message = _("请选择快递公司。") if carrier is None else _("快递公司已停用。")
            raise ShipRequestInvalid(label + message, fields={"carrier": [message]})
        problem = tracking_no_problem(carrier, request.tracking_no)
        if problem:
            raise ShipRequestInvalid(label + problem, fields={"tracking_no": [problem]})
        aftersale = aftersales.get(request.aftersale_id) if request.aftersale_id else None
        lines = request.lines
        if aftersale is not None:
            _check_exchange(aftersale, label)
            lines = lines or [(aftersale.item_id, aftersale.quantity)]
            if {int(item_id) for item_id, _q in lines} != {aftersale.item_id}:
                raise ShipRequestInvalid(
                    label
                    + _("换货包裹只能装售后单 %(no)s 的商品。") % {"no": aftersale.aftersale_no}
                )
        wanted: Counter = Counter()
        for item_id, quantity in lines:
            try:
                quantity = int(quantity)
            except (TypeError, ValueError):
                quantity = 0
            if quantity <= 0:
                message = _("发货数量必须是大于 0 的整数。")
                raise ShipRequestInvalid(label + message, fields={"quantity": [message]})
            wanted[int(item_id)] += quantity
        if not wanted:
            raise ShipRequestInvalid(label + _("包裹里没有要发货的商品。"))
        parcels.append(
            _Parcel(request, label, normalize_tracking_no(request.tracking_no), wanted, aftersale)
        )
    return parcels


def _check_exchange(aftersale: AfterSale, label: str) -> None:
    """orders.rules.can_ship_exchange (the rule behind the 发出换货 form), with why not."""
    if can_ship_exchange(aftersale):
        return
    if aftersale.type != AfterSaleType.EXCHANGE:
        raise ShipRequestInvalid(
            label + _("售后单 %(no)s 不是换货，不能发换货包裹。") % {"no": aftersale.aftersale_no}
        )
    raise ShipRequestInvalid(
        label
        + _("售后单 %(no)s 当前为“%(status)s”，不是待商家发货。")
        % {"no": aftersale.aftersale_no, "status": aftersale.get_status_display()}
    )


def _reused_numbers(shop, parcels: list[_Parcel]) -> list[dict]:
    """A tracking number already on a parcel to another receiver (in this shop, or
    earlier in this same call) is shipped anyway, with a warning: typos happen, but so
    does fake shipping with a reused number."""
    numbers = {parcel.number for parcel in parcels}
    seen: dict[str, dict[tuple, str]] = {}
    for row in (
        ShipmentLine.objects.filter(shipment__shop=shop, shipment__tracking_no__in=numbers)
        .values_list(
            "shipment__tracking_no", "order__order_no", *(f"order__{f}" for f in RECEIVER_FIELDS)
        )
        .distinct()
    ):
        seen.setdefault(row[0], {}).setdefault(tuple(row[2:]), row[1])
    reused = []
    for parcel in parcels:
        receiver = receiver_key(parcel.orders[0])
        others = {key: no for key, no in seen.get(parcel.number, {}).items() if key != receiver}
        if others:
            reused.append({"no": parcel.number, "orders": "、".join(sorted(set(others.values())))})
        seen.setdefault(parcel.number, {}).setdefault(receiver, parcel.orders[0].order_no)
    return reused


def number_taken_said(carrier: Carrier, number: str) -> Said:
    # Neutral on purpose: nothing about whose parcel holds it.
    return Said("number_taken", {"carrier": carrier.name, "no": number})


def number_taken_message(carrier: Carrier, number: str) -> str:
    return messages.render(number_taken_said(carrier, number))


def claim_numbers(shop, pairs: list[tuple[Carrier, str, str]]) -> None:
    """Register each (carrier, number) to `shop`, or refuse the one another shop holds
    (`pairs`: carrier, number, label). Inserted in key order, so two calls racing for
    the same numbers queue on the unique index instead of deadlocking; the loser's
    insert does nothing and its read then sees the winner's row."""
    keys = sorted({(carrier.pk, number) for carrier, number, _label in pairs})
    ParcelNumber.objects.bulk_create(
        [ParcelNumber(shop=shop, carrier_id=c, tracking_no=n) for c, n in keys],
        ignore_conflicts=True,
    )
    owners = {
        (c, n): shop_id
        for c, n, shop_id in ParcelNumber.objects.filter(
            tracking_no__in={n for _c, n in keys}
        ).values_list("carrier_id", "tracking_no", "shop_id")
    }
    for carrier, number, label in pairs:
        if owners.get((carrier.pk, number)) != shop.pk:
            message = number_taken_message(carrier, number)
            raise ShipRequestInvalid(label + message, fields={"tracking_no": [message]})


@transaction.atomic
def shipments_create(
    *, context: ConsoleContext, requests: list[ShipRequest], batch=None
) -> ShipOutcome:
    """Ship `requests` as parcels, all or none.

    Items must be the shop's (else 404); a parcel may carry items of several orders only
    when they share the receiver's name, phone and full address; each tracking number
    must match its carrier's pattern; a number already used for another receiver is a
    warning. Shipped quantities are recorded in one call to orders.shipping, which
    refuses cancelled or finished orders, items with an open after-sale and quantities
    beyond what is owed. A few queries whatever the number of requests, so a batch can
    ship 1,000 parcels per call.
    """
    context.require_perm(Perm.ORDER_SHIP)
    if not requests:
        raise ShipRequestInvalid(_("没有要发货的包裹。"))
    shop = context.shop
    aftersale_ids = {r.aftersale_id for r in requests if r.aftersale_id}
    aftersales = {a.pk: a for a in scope(AfterSale.objects.filter(pk__in=aftersale_ids), context)}
    if len(aftersales) != len(aftersale_ids):
        raise Http404
    parcels = _read_requests(requests, aftersales)

    item_ids = set().union(*(parcel.wanted for parcel in parcels))
    items = {
        item.pk: item
        for item in scope(OrderItem.objects.filter(pk__in=item_ids), context)
        .select_related("order")
        .only("order_id", "order__order_no", *(f"order__{f}" for f in RECEIVER_FIELDS))
    }
    if len(items) != len(item_ids):
        raise Http404
    for parcel in parcels:
        orders = {items[item_id].order_id: items[item_id].order for item_id in parcel.wanted}
        parcel.orders = sorted(orders.values(), key=lambda o: o.pk)
        if not _same_receiver(parcel.orders):
            raise ShipRequestInvalid(
                parcel.label
                + _("订单 %(orders)s 的收件人、电话或地址不同，不能合并为一个包裹。")
                % {"orders": "、".join(o.order_no for o in parcel.orders)}
            )
    claim_numbers(shop, [(p.request.carrier, p.number, p.label) for p in parcels])
    reused = _reused_numbers(shop, parcels)

    now = timezone.now()
    user = context_user(context)
    shipments = []
    for parcel in parcels:
        shipment = Shipment(
            shop=shop,
            carrier=parcel.request.carrier,
            tracking_no=parcel.number,
            aftersale=parcel.aftersale,
            shipped_at=now,
            shipped_by=user,
            batch=batch,
        )
        clean_or_raise(shipment, ShipRequestInvalid, exclude=TRUSTED_FKS, label=parcel.label)
        shipments.append(shipment)
    Shipment.objects.bulk_create(shipments)
    ShipmentLine.objects.bulk_create(
        ShipmentLine(
            shipment=shipment,
            order_id=items[item_id].order_id,
            item_id=item_id,
            quantity=quantity,
        )
        for shipment, parcel in zip(shipments, parcels, strict=True)
        for item_id, quantity in parcel.wanted.items()
    )

    order_lines = [
        (item_id, quantity)
        for parcel in parcels
        if parcel.aftersale is None
        for item_id, quantity in parcel.wanted.items()
    ]
    if order_lines:
        orders_record_shipments(lines=order_lines, actor=user, note=_ship_note(parcels, batch))
    for parcel in parcels:
        if parcel.aftersale is not None:
            aftersale_ship_exchange(
                aftersale_id=parcel.aftersale.pk,
                actor=user,
                note=Said(
                    "exchange_parcel",
                    {"carrier": parcel.request.carrier.name, "no": parcel.number},
                ),
            )
    return ShipOutcome(shipments=shipments, reused=reused)


def _ship_note(parcels: list[_Parcel], batch) -> Said | str:
    """The order event names the parcel when there is one; a batch names its file."""
    if len(parcels) == 1:
        return Said("parcel", {"carrier": parcels[0].request.carrier.name, "no": parcels[0].number})
    if batch is not None:
        return Said("batch", {"file": batch.file_name})
    return ""
