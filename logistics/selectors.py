"""Reads for 物流: carriers and tracking-number checks, the 待发货 queue and its 合单
groups, 发货记录, parcels of an order, and print records. Everything a user reaches
goes through shops.tenancy.scope."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from core.models import Said
from orders.filters import open_aftersale_exists
from orders.models import RECEIVER_FIELDS, Order, OrderItem
from orders.status import TO_SHIP
from shops.tenancy import ConsoleContext, get_scoped_or_404, scope

from . import messages
from .models import Carrier, PrintRecord, Shipment, ShipmentLine, TrackingEvent

# A parcel still without any tracking event this long after shipping is flagged
# 无揽收记录: the pattern of a fake shipment, which the platform punishes.
NO_SCAN_AFTER = timedelta(hours=24)
# Parcels whose tracking number may still be corrected.
CORRECTION_WINDOW = timedelta(hours=24)
MERGE_GROUP_LIMIT = 20

_SPACES = re.compile(r"\s+")


# --- carriers and tracking numbers ------------------------------------------------------


def normalize_tracking_no(text) -> str:
    """What is stored and matched: no spaces anywhere, upper case (sf123 → SF123)."""
    return _SPACES.sub("", str(text or "")).upper()


def _key(text) -> str:
    return str(text or "").strip().casefold()


def carrier_table() -> dict[str, Carrier]:
    """Every active carrier under its code, name and each alias (case-folded). Build it
    once and pass it to carrier_resolve when resolving many rows."""
    table: dict[str, Carrier] = {}
    for carrier in Carrier.objects.filter(is_active=True).order_by("sort_order", "id"):
        for name in (carrier.code, carrier.name, *(carrier.aliases or [])):
            table.setdefault(_key(name), carrier)
    return table


def carrier_resolve(text, table: dict[str, Carrier] | None = None) -> Carrier | None:
    """The active carrier named by `text`: its code, name or an alias, any case, trimmed."""
    key = _key(text)
    if not key:
        return None
    return (carrier_table() if table is None else table).get(key)


def carriers_active():
    return Carrier.objects.filter(is_active=True).order_by("sort_order", "id")


def tracking_no_said(carrier: Carrier, tracking_no) -> Said | None:
    """Why `tracking_no` cannot be a `carrier` number (a code of `logistics.messages`);
    None when it can."""
    number = normalize_tracking_no(tracking_no)
    if not number:
        return Said("tracking_no_missing")
    if len(number) > Shipment._meta.get_field("tracking_no").max_length:
        return Said("tracking_no_too_long", {"no": number})
    try:
        matches = re.fullmatch(carrier.tracking_pattern, number) is not None
    except re.error:
        # A broken pattern typed in /admin/ must not stop shipping with that carrier.
        matches = True
    if matches:
        return None
    expected = carrier.tracking_example or carrier.tracking_pattern
    return Said("tracking_no_format", {"no": number, "carrier": carrier.name, "expected": expected})


def tracking_no_problem(carrier: Carrier, tracking_no) -> str | None:
    """Why `tracking_no` cannot be a `carrier` number, in words; None when it can."""
    said = tracking_no_said(carrier, tracking_no)
    return messages.render(said) if said else None


# --- 待发货 ------------------------------------------------------------------------------


def receiver_key(order: Order) -> tuple:
    return tuple(getattr(order, name) for name in RECEIVER_FIELDS)


def to_ship_orders(*, context: ConsoleContext):
    """Paid orders still to ship (2 备货中 / 101 部分发货), the nearest ship deadline first
    (so overdue ones lead), with their items and whether an after-sale is open."""
    return (
        scope(Order.objects.filter(status__in=TO_SHIP), context)
        .prefetch_related(Prefetch("items", queryset=OrderItem.objects.order_by("id")))
        .annotate(in_aftersale=open_aftersale_exists())
        .order_by(F("exp_ship_time").asc(nulls_last=True), "id")
    )


@dataclass
class MergeGroup:
    """Orders of one receiver (name, phone and full address) that may ship as one parcel."""

    key: tuple
    orders: list = field(default_factory=list)

    @property
    def first(self) -> Order:
        return self.orders[0]


def merge_groups(*, context: ConsoleContext, limit: int = MERGE_GROUP_LIMIT) -> list[MergeGroup]:
    """合单: receivers with two or more orders to ship, none of them with an open
    after-sale. Two queries: the receivers (GROUP BY), then their orders."""
    mergeable = scope(Order.objects.filter(status__in=TO_SHIP), context).exclude(
        open_aftersale_exists()
    )
    receivers = list(
        mergeable.values(*RECEIVER_FIELDS)
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .order_by("receiver_phone", "receiver_name")[:limit]
    )
    if not receivers:
        return []
    match = Q()
    for receiver in receivers:
        match |= Q(**{name: receiver[name] for name in RECEIVER_FIELDS})
    groups: dict[tuple, MergeGroup] = {}
    for order in (
        mergeable.filter(match)
        .prefetch_related(Prefetch("items", queryset=OrderItem.objects.order_by("id")))
        .order_by(F("exp_ship_time").asc(nulls_last=True), "id")
    ):
        key = receiver_key(order)
        groups.setdefault(key, MergeGroup(key)).orders.append(order)
    return [group for group in groups.values() if len(group.orders) >= 2]


# --- 发货记录 ----------------------------------------------------------------------------


def no_scan_q(now=None) -> Q:
    """Parcels still without a tracking event 24 hours after shipping (无揽收记录)."""
    return Q(first_scan_at__isnull=True, shipped_at__lte=(now or timezone.now()) - NO_SCAN_AFTER)


def shipment_list(*, context: ConsoleContext):
    """发货记录: the shop's parcels, newest first, with their carrier and the orders and
    items they carry. Narrowed by `logistics.filters.ShipmentFilter` (console and API)."""
    return (
        scope(Shipment.objects.all(), context)
        .select_related("carrier", "shipped_by")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=ShipmentLine.objects.select_related("order", "item").order_by("id"),
            )
        )
    )


def no_scan_count(*, context: ConsoleContext, now=None) -> int:
    return scope(Shipment.objects.filter(no_scan_q(now)), context).count()


def shipment_detail(*, context: ConsoleContext, shipment_id: int) -> Shipment:
    return get_scoped_or_404(Shipment.objects.select_related("carrier"), context, pk=shipment_id)


def is_no_scan(shipment: Shipment, now=None) -> bool:
    return (
        shipment.first_scan_at is None
        and shipment.shipped_at <= (now or timezone.now()) - NO_SCAN_AFTER
    )


def can_correct(shipment: Shipment, now=None) -> bool:
    return (now or timezone.now()) - shipment.shipped_at <= CORRECTION_WINDOW


# --- parcels of an order -----------------------------------------------------------------


def order_parcels(order_id: int) -> list[Shipment]:
    """The parcels carrying items of one order (already scoped by the caller, who
    holds the order), each with its lines and tracking events, oldest first."""
    return list(
        Shipment.objects.filter(lines__order_id=order_id)
        .distinct()
        .select_related("carrier")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=ShipmentLine.objects.select_related("item", "order").order_by("id"),
            ),
            Prefetch(
                "tracking_events",
                queryset=TrackingEvent.objects.order_by("-occurred_at", "-id"),
            ),
        )
        .order_by("shipped_at", "id")
    )


# --- 打印记录 ----------------------------------------------------------------------------


def print_record_list(*, context: ConsoleContext):
    return (
        scope(PrintRecord.objects.all(), context)
        .select_related("actor")
        .prefetch_related(
            Prefetch(
                "shipments", queryset=Shipment.objects.select_related("carrier").order_by("id")
            )
        )
    )
