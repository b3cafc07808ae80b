"""Every write of 物流: shipping parcels (one service, `shipments_create`, behind every
entry point: one order, part of one, several orders each with its number, 合单, batch
files, the API, exchanges), correcting a tracking number, tracking pushes and prints.

Shipped quantities are recorded by orders.shipping (which locks the orders in pk order
and derives 101/3); the exchange parcel of a 换货 after-sale is reported to
orders.aftersales instead.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Min, Q
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from core.actors import context_user
from core.exceptions import clean_or_raise
from core.models import Said
from orders.aftersales import aftersale_ship_exchange
from orders.masking import full_address
from orders.models import (
    OPEN_AFTERSALE_STATUSES,
    RECEIVER_FIELDS,
    AfterSale,
    AfterSaleStatus,
    AfterSaleType,
    Order,
    OrderItem,
)
from orders.services import order_mark_signed
from orders.shipping import orders_record_shipments
from shops.roles import Perm
from shops.tenancy import ConsoleContext, scope

from . import printing
from .exceptions import (
    CorrectionRefused,
    PrintRefused,
    ShipRequestInvalid,
    TrackingPushInvalid,
)
from .models import (
    Carrier,
    ParcelNumber,
    PrintRecord,
    Shipment,
    ShipmentLine,
    TrackingEvent,
    TrackingNoCorrection,
    TrackingStatus,
)
from .selectors import (
    CORRECTION_WINDOW,
    normalize_tracking_no,
    receiver_key,
    tracking_no_problem,
)

# Foreign keys the services set from rows they have just read: full_clean would check
# each one with a query per object, which a 10,000-row batch cannot afford.
_TRUSTED_FKS = ["shop", "carrier", "shipped_by", "batch", "aftersale", "shipment", "order", "item"]


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
    # Shipped anyway, but worth a second look (e.g. a tracking number reused).
    warnings: list[str]


def _same_receiver(orders: list[Order]) -> bool:
    return len({receiver_key(order) for order in orders}) == 1


# --- shipping --------------------------------------------------------------------------


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
    if aftersale.type != AfterSaleType.EXCHANGE:
        raise ShipRequestInvalid(
            label + _("售后单 %(no)s 不是换货，不能发换货包裹。") % {"no": aftersale.aftersale_no}
        )
    if aftersale.status != AfterSaleStatus.AWAITING_EXCHANGE_SHIPMENT:
        raise ShipRequestInvalid(
            label
            + _("售后单 %(no)s 当前为“%(status)s”，不是待商家发货。")
            % {"no": aftersale.aftersale_no, "status": aftersale.get_status_display()}
        )


def _duplicate_warnings(shop, parcels: list[_Parcel]) -> list[str]:
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
    warnings = []
    for parcel in parcels:
        receiver = receiver_key(parcel.orders[0])
        others = {key: no for key, no in seen.get(parcel.number, {}).items() if key != receiver}
        if others:
            warnings.append(
                _("快递单号 %(no)s 已用于其他收件人的订单 %(orders)s，请确认没有填错。")
                % {"no": parcel.number, "orders": "、".join(sorted(set(others.values())))}
            )
        seen.setdefault(parcel.number, {}).setdefault(receiver, parcel.orders[0].order_no)
    return warnings


def number_taken_message(carrier: Carrier, number: str) -> str:
    # Neutral on purpose: nothing about whose parcel holds it.
    return _("%(carrier)s运单号 %(no)s 已被使用，不能用于发货，请核对快递公司和单号。") % {
        "carrier": carrier.name,
        "no": number,
    }


def _claim_numbers(shop, pairs: list[tuple[Carrier, str, str]]) -> None:
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
    _claim_numbers(shop, [(p.request.carrier, p.number, p.label) for p in parcels])
    warnings = _duplicate_warnings(shop, parcels)

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
        clean_or_raise(shipment, ShipRequestInvalid, exclude=_TRUSTED_FKS, label=parcel.label)
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
    return ShipOutcome(shipments=shipments, warnings=warnings)


def _ship_note(parcels: list[_Parcel], batch) -> Said | str:
    """The order event names the parcel when there is one; a batch names its file."""
    if len(parcels) == 1:
        return Said("parcel", {"carrier": parcels[0].request.carrier.name, "no": parcels[0].number})
    if batch is not None:
        return Said("batch", {"file": batch.file_name})
    return ""


def _to_ship_orders(context: ConsoleContext, order_ids) -> list[Order]:
    """The shop's orders by id with their items (404 when one is not the shop's)."""
    wanted = {int(order_id) for order_id in order_ids}
    orders = list(
        scope(Order.objects.filter(pk__in=wanted), context).prefetch_related("items").order_by("pk")
    )
    if len(orders) != len(wanted):
        raise Http404
    return orders


def _remaining_lines(order: Order) -> list[tuple[int, int]]:
    return [(item.pk, item.quantity_to_ship) for item in order.items.all() if item.quantity_to_ship]


def order_ship(
    *,
    context: ConsoleContext,
    order_id: int,
    carrier: Carrier,
    tracking_no: str,
    quantities: dict[int, int] | None = None,
) -> ShipOutcome:
    """Ship one order in one parcel: the given quantities per item (partial shipping),
    or everything still owed when `quantities` is None."""
    (order,) = _to_ship_orders(context, [order_id])
    if quantities is None:
        lines = _remaining_lines(order)
    else:
        own = {item.pk for item in order.items.all()}
        if set(quantities) - own:
            raise Http404
        lines = [(item_id, qty) for item_id, qty in quantities.items() if qty]
    if not lines:
        raise ShipRequestInvalid(
            _("订单 %(no)s 没有待发货的商品，请至少填写一件商品的发货数量。")
            % {"no": order.order_no},
            fields={"quantity": [_("请填写发货数量。")]},
        )
    return shipments_create(
        context=context,
        requests=[ShipRequest(carrier=carrier, tracking_no=tracking_no, lines=lines)],
    )


def orders_ship_each(
    *, context: ConsoleContext, entries: list[tuple[int, Carrier, str]]
) -> ShipOutcome:
    """Several orders, each in its own parcel with its own carrier and number (the
    order list's 批量发货 form): everything still owed, all or none."""
    orders = {o.pk: o for o in _to_ship_orders(context, [order_id for order_id, *_r in entries])}
    requests = []
    for order_id, carrier, tracking_no in entries:
        order = orders[int(order_id)]
        lines = _remaining_lines(order)
        if not lines:
            raise ShipRequestInvalid(_("订单 %(no)s 没有待发货的商品。") % {"no": order.order_no})
        requests.append(ShipRequest(carrier=carrier, tracking_no=tracking_no, lines=lines))
    return shipments_create(context=context, requests=requests)


def orders_merge_ship(
    *, context: ConsoleContext, order_ids, carrier: Carrier, tracking_no: str
) -> ShipOutcome:
    """合并发货: orders of one receiver in one parcel, everything still owed. Orders with
    an open after-sale never merge."""
    orders = _to_ship_orders(context, order_ids)
    if len(orders) < 2:
        raise ShipRequestInvalid(_("合并发货请至少选择两个订单。"))
    open_aftersale = (
        AfterSale.objects.filter(order__in=orders, status__in=OPEN_AFTERSALE_STATUSES)
        .select_related("order")
        .first()
    )
    if open_aftersale is not None:
        raise ShipRequestInvalid(
            _("订单 %(order)s 有进行中的售后单 %(no)s，不能合并发货。")
            % {"order": open_aftersale.order.order_no, "no": open_aftersale.aftersale_no}
        )
    lines = [line for order in orders for line in _remaining_lines(order)]
    return shipments_create(
        context=context,
        requests=[ShipRequest(carrier=carrier, tracking_no=tracking_no, lines=lines)],
    )


def aftersale_ship(
    *, context: ConsoleContext, aftersale_id: int, carrier: Carrier, tracking_no: str
) -> ShipOutcome:
    """The exchange parcel of a 换货 after-sale waiting for the merchant to ship."""
    return shipments_create(
        context=context,
        requests=[ShipRequest(carrier=carrier, tracking_no=tracking_no, aftersale_id=aftersale_id)],
    )


# --- correcting a tracking number -------------------------------------------------------


@transaction.atomic
def shipment_correct_tracking(
    *, context: ConsoleContext, shipment_id: int, carrier: Carrier, tracking_no: str
) -> Shipment:
    """Fix a mistyped carrier or tracking number within 24 hours of shipping; logged in
    TrackingNoCorrection. After that the platform already holds the number: refused."""
    context.require_perm(Perm.ORDER_SHIP)
    try:
        shipment = (
            scope(Shipment.objects.select_for_update(of=("self",)), context)
            .select_related("carrier")
            .get(pk=shipment_id)
        )
    except Shipment.DoesNotExist as exc:
        raise Http404 from exc
    if timezone.now() - shipment.shipped_at > CORRECTION_WINDOW:
        raise CorrectionRefused(
            _("包裹 %(no)s 于 %(at)s 发货，已超过 24 小时，不能再修改运单号。")
            % {
                "no": shipment.tracking_no,
                "at": timezone.localtime(shipment.shipped_at).strftime("%Y-%m-%d %H:%M"),
            }
        )
    if carrier is None or not carrier.is_active:
        raise CorrectionRefused(_("请选择快递公司。"), fields={"carrier": [_("请选择快递公司。")]})
    problem = tracking_no_problem(carrier, tracking_no)
    if problem:
        raise CorrectionRefused(problem, fields={"tracking_no": [problem]})
    number = normalize_tracking_no(tracking_no)
    if carrier.pk == shipment.carrier_id and number == shipment.tracking_no:
        raise CorrectionRefused(
            _("新的快递公司和运单号与原来的相同。"), fields={"tracking_no": [_("没有变化。")]}
        )
    try:
        _claim_numbers(context.shop, [(carrier, number, "")])
    except ShipRequestInvalid as exc:
        raise CorrectionRefused(exc.message, fields=exc.fields) from exc
    old_carrier_id, old_number = shipment.carrier_id, shipment.tracking_no
    correction = TrackingNoCorrection(
        shipment=shipment,
        old_carrier=shipment.carrier,
        old_tracking_no=shipment.tracking_no,
        new_carrier=carrier,
        new_tracking_no=number,
        actor=context_user(context),
    )
    correction.save()
    shipment.carrier = carrier
    shipment.tracking_no = number
    clean_or_raise(shipment, ShipRequestInvalid, exclude=_TRUSTED_FKS)
    shipment.save(update_fields=["carrier", "tracking_no"])
    # A mistyped number must not stay held: it may be another shop's real parcel.
    if not Shipment.objects.filter(carrier_id=old_carrier_id, tracking_no=old_number).exists():
        ParcelNumber.objects.filter(
            carrier_id=old_carrier_id, tracking_no=old_number, shop=context.shop
        ).delete()
    return shipment


# --- tracking push ------------------------------------------------------------------------

_STATUS_BY_TEXT = {
    **{status.value: status.value for status in TrackingStatus},
    **{str(status.label): status.value for status in TrackingStatus},
}


@dataclass(frozen=True)
class PushResult:
    shipments: int
    created: int


def _push_events(events) -> list[dict]:
    """The pushed events, checked one by one; an unreadable one refuses the push."""
    if not isinstance(events, list) or not events:
        raise TrackingPushInvalid(_("events 必须是非空数组。"))
    parsed = []
    for index, event in enumerate(events, start=1):
        where = _("第 %(n)s 条轨迹：") % {"n": index}
        if not isinstance(event, dict):
            raise TrackingPushInvalid(where + _("必须是对象。"))
        try:
            occurred_at = parse_datetime(str(event.get("time") or ""))
        except ValueError:  # well formed but impossible: month 13, minute 61
            occurred_at = None
        if occurred_at is None:
            raise TrackingPushInvalid(where + _("time 不是有效的 ISO 8601 时间。"))
        if timezone.is_naive(occurred_at):
            occurred_at = timezone.make_aware(occurred_at)
        status = _STATUS_BY_TEXT.get(str(event.get("status") or "").strip())
        if status is None:
            raise TrackingPushInvalid(
                where
                + _("status 必须是 %(values)s 之一。")
                % {"values": ", ".join(TrackingStatus.values)}
            )
        description, location = event.get("description"), event.get("location") or ""
        if not isinstance(description, str) or not isinstance(location, str):
            raise TrackingPushInvalid(where + _("description 和 location 必须是字符串。"))
        description, location = description.strip(), location.strip()
        if not description:
            raise TrackingPushInvalid(where + _("缺少 description。"))
        if len(description) > 300 or len(location) > 60:
            raise TrackingPushInvalid(where + _("description 或 location 过长。"))
        parsed.append(
            {
                "occurred_at": occurred_at,
                "status": status,
                "description": description,
                "location": location,
            }
        )
    return parsed


@transaction.atomic
def tracking_record_push(*, carrier_code: str, tracking_no: str, events) -> PushResult:
    """Store a carrier's (or aggregator's) tracking events on the one parcel that
    (carrier, number) names: the rows of the shop holding the number (several when it
    put orders of one receiver in one box); the same event twice is stored once. Keeps
    the latest status and first scan; 已签收 tells orders the sign time, which restarts
    auto-complete."""
    code = str(carrier_code or "").strip()
    if not code:
        raise TrackingPushInvalid(_("缺少 carrier（快递公司编码）：运单号只在同一快递公司内唯一。"))
    carrier = Carrier.objects.filter(code=code).first()
    if carrier is None:
        raise TrackingPushInvalid(_("未知的快递公司编码：%(code)s") % {"code": code})
    number = normalize_tracking_no(tracking_no)
    parsed = _push_events(events)
    parcel = Shipment.objects.filter(carrier=carrier, tracking_no=number)
    # Parcels shipped before numbers were registered: the first shop to ship holds it.
    holder = ParcelNumber.objects.filter(carrier=carrier, tracking_no=number).values("shop_id")
    held = holder.first() or parcel.order_by("pk").values("shop_id").first()
    shipments = list(
        parcel.filter(shop_id=held["shop_id"] if held else None).select_for_update().order_by("pk")
    )
    if not shipments:
        raise Shipment.DoesNotExist(number)
    _refuse_signed_before_shipped(parsed, shipments)
    existing = set(
        TrackingEvent.objects.filter(shipment__in=shipments).values_list(
            "shipment_id", "occurred_at", "status", "description"
        )
    )
    new = []
    for shipment in shipments:
        for event in parsed:
            key = (shipment.pk, event["occurred_at"], event["status"], event["description"])
            if key not in existing:
                existing.add(key)
                new.append(TrackingEvent(shipment=shipment, **event))
    # ignore_conflicts: a concurrent push of the same event is still stored once.
    TrackingEvent.objects.bulk_create(new, ignore_conflicts=True)
    for shipment in shipments:
        _refresh_tracking(shipment)
    return PushResult(shipments=len(shipments), created=len(new))


def _refuse_signed_before_shipped(parsed: list[dict], shipments: list[Shipment]) -> None:
    """A parcel is not signed for before it left: such a sign time would start the
    order's auto-complete clock in the past."""
    shipped_at = max(shipment.shipped_at for shipment in shipments)
    for index, event in enumerate(parsed, start=1):
        if event["status"] == TrackingStatus.SIGNED and event["occurred_at"] < shipped_at:
            raise TrackingPushInvalid(
                _("第 %(n)s 条轨迹：签收时间 %(signed)s 早于发货时间 %(shipped)s。")
                % {
                    "n": index,
                    "signed": timezone.localtime(event["occurred_at"]).strftime("%Y-%m-%d %H:%M"),
                    "shipped": timezone.localtime(shipped_at).strftime("%Y-%m-%d %H:%M"),
                }
            )


def _refresh_tracking(shipment: Shipment) -> None:
    events = TrackingEvent.objects.filter(shipment=shipment)
    latest = events.order_by("-occurred_at", "-id").values_list("status", flat=True).first()
    times = events.aggregate(
        first=Min("occurred_at"), signed=Min("occurred_at", filter=Q(status=TrackingStatus.SIGNED))
    )
    was_signed = shipment.signed_at
    shipment.tracking_status = latest or ""
    shipment.first_scan_at = times["first"]
    shipment.signed_at = times["signed"]
    shipment.save(update_fields=["tracking_status", "first_scan_at", "signed_at"])
    if shipment.signed_at and shipment.signed_at != was_signed and shipment.aftersale_id is None:
        order_ids = sorted(set(shipment.lines.values_list("order_id", flat=True)))
        for order_id in order_ids:
            order_mark_signed(order_id=order_id, signed_at=shipment.signed_at)


# --- printing -------------------------------------------------------------------------------


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
