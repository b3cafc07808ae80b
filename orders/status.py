"""The order state machine: the transition table, the status derived from item
quantities, and `order_set_status`, the one place an order's status is written."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import acting_user
from core.models import said_fields
from core.state import Machine, announce_on_commit
from shops.models import Shop

from .exceptions import TransitionRefused
from .models import Order, OrderEvent, OrderEventKind, OrderItem, OrderStatus
from .signals import order_status_changed
from .stats.recompute import days_of_orders, refresh
from .stats.rollups import record_status_changes

S = OrderStatus

TRANSITIONS: dict[int, frozenset[int]] = {
    S.UNPAID: frozenset({S.PAID, S.CANCELLED}),
    # 105 is the short state between payment and acceptance (a future risk check).
    S.PAID: frozenset({S.AWAITING_SHIPMENT, S.CANCELLED}),
    S.AWAITING_SHIPMENT: frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED, S.CANCELLED}),
    # What is left of a partly shipped order may be refunded, which makes it 3.
    S.PARTIALLY_SHIPPED: frozenset({S.SHIPPED}),
    S.SHIPPED: frozenset({S.COMPLETED}),
    S.CANCELLED: frozenset(),
    S.COMPLETED: frozenset(),
}

TO_SHIP = (S.AWAITING_SHIPMENT, S.PARTIALLY_SHIPPED)


def determine_status(order: Order, items) -> int:
    """101 / 3 / 4 follow from the items' quantities once an order is being shipped:
    all owed quantity shipped → 3, some → 101, everything refunded before any shipping → 4."""
    if order.status not in TO_SHIP:
        return order.status
    shipped = sum(item.shipped_quantity for item in items)
    owed = sum(item.quantity_to_ship for item in items)
    if shipped == 0:
        return S.CANCELLED if owed == 0 else order.status
    return S.SHIPPED if owed == 0 else S.PARTIALLY_SHIPPED


def lock_order(order_id: int) -> Order:
    return Order.objects.select_for_update(of=("self",)).select_related("shop").get(pk=order_id)


def lock_orders(order_ids, *, only: tuple[str, ...] | None = None) -> list[Order]:
    """Lock orders in primary-key order, so concurrent writers never deadlock. The
    orders of one shop share one Shop instance (batches lock hundreds at a time);
    `only` limits the columns read, for callers that touch nothing else."""
    orders = Order.objects.select_for_update().filter(pk__in=set(order_ids)).order_by("pk")
    if only is not None:
        orders = orders.only("shop_id", *only)
    orders = list(orders)
    shops = Shop.objects.in_bulk({order.shop_id for order in orders})
    for order in orders:
        order.shop = shops[order.shop_id]
    return orders


STAMPED_FIELDS = ["shipped_at", "auto_complete_at", "cancelled_at", "completed_at"]
# What a status change reads and writes (signed_at: auto-complete starts from it).
STATUS_FIELDS = ("order_no", "status", "updated_at", "signed_at", *STAMPED_FIELDS)


def _stamp(order: Order, to_status: int, now) -> None:
    """The times a status carries, set when the order enters it."""
    if to_status in (S.PARTIALLY_SHIPPED, S.SHIPPED) and order.shipped_at is None:
        order.shipped_at = now
    if to_status == S.SHIPPED:
        # Now the last parcel has shipped (or what was left was refunded): the clock
        # starts now, not at an earlier parcel's sign time, which would put it in the
        # past; a later sign moves it on (orders.services.order_mark_signed).
        start = max(order.signed_at, now) if order.signed_at else now
        order.auto_complete_at = start + timedelta(days=order.shop.auto_confirm_days)
    if to_status == S.CANCELLED:
        order.cancelled_at = now
    if to_status == S.COMPLETED:
        order.completed_at = now


def _save_grouped(orders: list[Order]) -> None:
    """One UPDATE per distinct set of new values: orders changed together (a batch of
    parcels, a timer run) nearly all share them, and bulk_update's per-row CASE
    expressions cost milliseconds a row."""
    fields = ["status", "updated_at", *STAMPED_FIELDS]
    groups: dict[tuple, list[int]] = {}
    for order in orders:
        groups.setdefault(tuple(getattr(order, f) for f in fields), []).append(order.pk)
    for values, pks in groups.items():
        Order.objects.filter(pk__in=pks).update(**dict(zip(fields, values, strict=True)))


def _refuse(order: Order, from_status: int, to_status: int) -> TransitionRefused:
    return TransitionRefused(
        _("订单 %(no)s 当前为“%(from)s”，不能变为“%(to)s”。")
        % {"no": order.order_no, "from": S(from_status).label, "to": S(to_status).label}
    )


MACHINE = Machine(TRANSITIONS, label=lambda status: S(status).label, refusal=_refuse)


@transaction.atomic
def orders_set_status(
    *,
    order_ids,
    to_status: int | None = None,
    actor=None,
    actor_label: str = "",
    note: str = "",
) -> list[Order]:
    """Move orders to `to_status`, or each to the status its items imply when None.

    The one entry point for status changes: locks the rows in pk order, then
    `apply_status_to_locked` checks TRANSITIONS (one refusal refuses all), stamps the
    status's times, writes an OrderEvent per change and sends `order_status_changed`
    once the transaction commits. An order already in the asked-for status is left as
    it is, so timers and callbacks may repeat. Returns the locked orders.
    """
    orders = lock_orders(order_ids)
    if len(orders) != len(set(order_ids)):
        raise Order.DoesNotExist
    items_by_order: dict[int, list] = {}
    if to_status is None:
        for item in OrderItem.objects.filter(order_id__in=[o.pk for o in orders]):
            items_by_order.setdefault(item.order_id, []).append(item)
    return apply_status_to_locked(
        orders,
        items_by_order,
        to_status=to_status,
        actor=actor,
        actor_label=actor_label,
        note=note,
    )


def apply_status_to_locked(
    orders: list[Order],
    items_by_order: dict[int, list],
    *,
    to_status: int | None,
    actor=None,
    actor_label: str = "",
    note: str = "",
    event_kind: str = OrderEventKind.STATUS,
    event_notes: dict[int, str] | None = None,
) -> list[Order]:
    """The body of `orders_set_status`, for a caller inside the same transaction that
    already holds the orders' locks and their current items (orders.shipping, which
    must not pay for locking and reading the same rows twice).

    Each changed order gets an event of `event_kind`; an order named in `event_notes`
    gets one even when its status stays, with that note (a second parcel of a partly
    shipped order), so a shipment and the status it causes are one timeline entry.
    """
    event_notes = event_notes or {}
    now = timezone.now()

    def target(order: Order) -> int:
        if to_status is not None:
            return to_status
        return determine_status(order, items_by_order.get(order.pk, []))

    def stamp(order: Order, _from: int, to: int) -> None:
        order.updated_at = now
        _stamp(order, to, now)

    changes = MACHINE.move_locked(orders, target, on_change=stamp)
    moved = {order.pk: (from_status, to) for order, from_status, to in changes}
    user = acting_user(actor)
    events = [
        OrderEvent(
            order=order,
            kind=event_kind,
            from_status=moved[order.pk][0] if order.pk in moved else None,
            to_status=moved[order.pk][1] if order.pk in moved else None,
            actor=user,
            actor_label=actor_label,
            **said_fields(event_notes.get(order.pk, note)),
        )
        for order in orders
        if order.pk in moved or order.pk in event_notes
    ]
    if changes:
        _save_grouped([order for order, _from, _to in changes])
        record_status_changes(changes)
    OrderEvent.objects.bulk_create(events)
    announce_on_commit(
        order_status_changed,
        Order,
        [
            {
                "order_id": order.pk,
                "shop_id": order.shop_id,
                "from_status": from_status,
                "to_status": to,
            }
            for order, from_status, to in changes
        ],
    )
    return orders


def order_set_status(
    *,
    order_id: int,
    to_status: int | None = None,
    actor=None,
    actor_label: str = "",
    note: str = "",
) -> Order:
    """`orders_set_status` for one order."""
    return orders_set_status(
        order_ids=[order_id], to_status=to_status, actor=actor, actor_label=actor_label, note=note
    )[0]


def order_set_status_locked(
    order: Order, *, to_status: int, actor=None, actor_label: str = "", note: str = ""
) -> Order:
    """`order_set_status` for an order the caller's transaction has locked already
    (`lock_order`): the same move, without reading and locking the row a second time
    (payment, acceptance and cancelling run at every order's pace)."""
    return apply_status_to_locked(
        [order], {}, to_status=to_status, actor=actor, actor_label=actor_label, note=note
    )[0]


@transaction.atomic
def orders_sync_status(*, targets: dict[int, int], note: str, actor=None) -> int:
    """Take the statuses another system reports (an imported 抖店 export): that system
    is the authority for its orders, so TRANSITIONS is not asked, but the change is made
    the same way — rows locked in pk order, a `sync` event naming the source (`note`),
    `order_status_changed` on commit. Returns how many orders changed."""
    orders = lock_orders(targets, only=("order_no", "status", "updated_at"))
    now = timezone.now()
    changes = [(o, o.status, targets[o.pk]) for o in orders if targets[o.pk] != o.status]
    groups: dict[int, list[int]] = {}
    for order, _from, to in changes:
        order.status, order.updated_at = to, now
        groups.setdefault(to, []).append(order.pk)
    for to, pks in groups.items():
        Order.objects.filter(pk__in=pks).update(status=to, updated_at=now)
    if changes:
        # Statuses reported from elsewhere stamp no times here, so the rollups are
        # recomputed for these orders' days rather than counted as our own payments.
        refresh(days_of_orders("SELECT unnest(%s::bigint[])", [[o.pk for o, _f, _t in changes]]))
    user = acting_user(actor)
    OrderEvent.objects.bulk_create(
        [
            OrderEvent(order=order, kind=OrderEventKind.SYNC, from_status=from_status,
                       to_status=to, actor=user, actor_label=_("导入文件"), note=note[:300])
            for order, from_status, to in changes
        ],
        batch_size=2000,
    )  # fmt: skip
    announce_on_commit(
        order_status_changed,
        Order,
        [
            {"order_id": o.pk, "shop_id": o.shop_id, "from_status": f, "to_status": t}
            for o, f, t in changes
        ],
    )
    return len(changes)
