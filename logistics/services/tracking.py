"""Tracking pushes: a carrier's (or aggregator's) events stored on the parcel the
(carrier, number) names; 已签收 tells orders the sign time."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from orders.services import order_mark_signed

from ..exceptions import TrackingPushInvalid
from ..models import Carrier, ParcelNumber, Shipment, TrackingEvent, TrackingStatus
from ..selectors import normalize_tracking_no

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
