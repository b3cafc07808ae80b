"""Parcels for the tests and seed_demo.

`ShipmentFactory(order=order)` ships what the order still owes through the real
`logistics.services.order_ship`, acting as a warehouse member of the order's shop.
`ParcelFactory` only writes the parcel rows, for orders whose quantities were already
recorded as shipped (orders.factories ships through orders.shipping directly).
"""

import re
from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from orders.factories import OrderFactory
from shops.factories import MembershipFactory, UserFactory
from shops.models import Membership
from shops.roles import Role
from shops.tenancy import resolve_context

from . import services
from .carriers import seed_carriers
from .models import Carrier, Shipment, ShipmentLine, TrackingStatus


def carrier(code: str = "shunfeng") -> Carrier:
    """A seeded carrier (re-seeded if a transactional test flushed the migration's rows)."""
    if not Carrier.objects.filter(code=code).exists():
        seed_carriers(Carrier)
    return Carrier.objects.get(code=code)


def tracking_no_for(carrier: Carrier, n: int) -> str:
    """A number that matches `carrier`'s pattern: its example with the last digits
    replaced by `n` (examples end in at least 8 digits)."""
    example = carrier.tracking_example
    tail = len(re.search(r"\d*$", example).group())
    width = min(tail, 8)
    return example[: len(example) - width] + f"{n % 10**width:0{width}d}"


def shipper_context(shop):
    """A context acting as a member of `shop` who may ship: the first owner or
    warehouse member, or a new warehouse member."""
    membership = (
        Membership.objects.filter(shop=shop, role__in=[Role.WAREHOUSE, Role.OWNER])
        .select_related("user")
        .order_by("role", "id")
        .first()
    )
    if membership is None:
        membership = MembershipFactory(
            shop=shop, role=Role.WAREHOUSE, user=UserFactory(username=f"warehouse-{shop.slug}")
        )
    return resolve_context(membership.user, requested=f"shop:{shop.pk}")


class ShipmentFactory(factory.Factory):
    """A parcel shipped through the service; `quantities` {item id: qty} for part of
    the order (None: everything still owed)."""

    class Meta:
        model = Shipment

    order = factory.SubFactory(OrderFactory)
    carrier = factory.LazyFunction(carrier)
    tracking_no = factory.LazyAttributeSequence(lambda o, n: tracking_no_for(o.carrier, 10000 + n))
    quantities = None
    context = None

    @classmethod
    def _create(cls, model_class, *, order, carrier, tracking_no, quantities, context):
        outcome = services.order_ship(
            context=context or shipper_context(order.shop),
            order_id=order.pk,
            carrier=carrier,
            tracking_no=tracking_no,
            quantities=quantities,
        )
        return outcome.shipments[0]


class ParcelFactory(DjangoModelFactory):
    """Only the parcel row (no quantities recorded): add ShipmentLineFactory rows."""

    class Meta:
        model = Shipment

    shop = factory.LazyAttribute(lambda o: o.order.shop)
    carrier = factory.LazyFunction(carrier)
    tracking_no = factory.LazyAttributeSequence(lambda o, n: tracking_no_for(o.carrier, 50000 + n))
    shipped_at = factory.LazyFunction(timezone.now)

    class Params:
        order = None


class ShipmentLineFactory(DjangoModelFactory):
    class Meta:
        model = ShipmentLine

    shipment = factory.SubFactory(ParcelFactory)
    item = None
    order = factory.LazyAttribute(lambda o: o.item.order)
    quantity = factory.LazyAttribute(lambda o: o.item.shipped_quantity)


# A parcel's usual journey, hours after shipping: (hours, status, location, description).
JOURNEY = [
    (3, TrackingStatus.COLLECTED, "杭州市", "快递员已揽收"),
    (9, TrackingStatus.IN_TRANSIT, "杭州转运中心", "已到达杭州转运中心，发往下一站"),
    (30, TrackingStatus.IN_TRANSIT, "目的地转运中心", "已到达目的地转运中心"),
    (40, TrackingStatus.DELIVERING, "派送网点", "快递员正在派送，请保持电话畅通"),
    (44, TrackingStatus.SIGNED, "派送网点", "已签收，签收人：本人"),
]


def journey(shipped_at, *, until=None, stages: int = len(JOURNEY)) -> list[tuple]:
    """The first `stages` steps of JOURNEY as (time, status, location, description),
    none later than `until` (default: now)."""
    until = until or timezone.now()
    steps = []
    for hours, status, location, description in JOURNEY[:stages]:
        at = shipped_at + timedelta(hours=hours)
        if at > until:
            break
        steps.append((at, status, location, description))
    return steps


def push_events(steps) -> list[dict]:
    """Journey steps as a tracking push carries them."""
    return [
        {"time": at.isoformat(), "status": str(status), "location": location, "description": text}
        for at, status, location, text in steps
    ]
