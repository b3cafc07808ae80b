"""Reads for the order and after-sale consoles and the API, scoped to the current shop.

Built for a million orders in a shop: pages are keyset pages on (sort key, id), never
OFFSET; tab counts are capped counts over a LIMIT, never a full COUNT(*); a page costs
the same number of queries whatever its size.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from core.pagination import CappedCount, Sort, capped_counts
from shops.tenancy import ConsoleContext, get_scoped_or_404, scope

from .deadlines import late_compensation_expression
from .filters import (
    AfterSaleTab,
    Deadline,
    OrderTab,
    filter_aftersale_tab,
    filter_deadline,
    filter_tab,
    open_aftersale_exists,
)
from .models import (
    AfterSale,
    AfterSaleEvent,
    Order,
    OrderEvent,
    OrderItem,
)
from .status import TO_SHIP

# --- orders ---------------------------------------------------------------------------

ORDER_SORTS = {
    "created": Sort("created_at", descending=True),
    "paid": Sort("paid_at", descending=True, nullable=True),
    "ship_deadline": Sort("exp_ship_time", descending=False, nullable=True),
}


def order_list(*, context: ConsoleContext):
    """The shop's orders with what a list row shows: items, creator, open after-sale."""
    return (
        scope(Order.objects.all(), context)
        .select_related("creator")
        .prefetch_related(Prefetch("items", queryset=OrderItem.objects.order_by("id")))
        .annotate(in_aftersale=open_aftersale_exists())
    )


def order_tab_counts(*, context: ConsoleContext) -> dict[str, CappedCount]:
    """Each status tab's count in the whole shop, capped at COUNT_CAP."""
    orders = scope(Order.objects.all(), context)
    return capped_counts({key: filter_tab(orders, key) for key, _label in OrderTab.CHOICES})


def order_detail(*, context: ConsoleContext, order_id: int) -> Order:
    """One order of the shop (404 otherwise) with items, timeline and after-sales."""
    return get_scoped_or_404(
        Order.objects.select_related("creator").prefetch_related(
            Prefetch("items", queryset=OrderItem.objects.order_by("id")),
            Prefetch(
                "events",
                queryset=OrderEvent.objects.select_related("actor").order_by("created_at", "id"),
            ),
            Prefetch(
                "aftersales",
                queryset=AfterSale.objects.select_related("item").order_by("-created_at"),
            ),
            "payments",
        ),
        context,
        pk=order_id,
    )


def order_events(*, context: ConsoleContext, order_id: int):
    order = get_scoped_or_404(Order.objects.all(), context, pk=order_id)
    return OrderEvent.objects.filter(order=order).select_related("actor").order_by("created_at")


def order_ids_in_scope(*, context: ConsoleContext, order_ids) -> list[int]:
    """The ids among `order_ids` that belong to the shop (bulk actions ignore others)."""
    return list(scope(Order.objects.filter(pk__in=order_ids), context).values_list("pk", flat=True))


@dataclass(frozen=True)
class HomeSummary:
    to_ship: CappedCount
    due_soon: CappedCount
    overdue: CappedCount
    compensation_fen: int
    aftersales_pending: CappedCount


def order_home_summary(*, context: ConsoleContext, now=None) -> HomeSummary:
    """What 首页 shows about orders in one query: orders to ship, due soon, overdue and
    the late compensation the overdue ones put at stake, and the after-sales waiting for
    the merchant."""
    orders = scope(Order.objects.all(), context)
    overdue = filter_deadline(orders, Deadline.OVERDUE, now)
    aftersales = scope(AfterSale.objects.all(), context)
    counts = capped_counts(
        {
            "to_ship": orders.filter(status__in=TO_SHIP),
            "due_soon": filter_deadline(orders, Deadline.SOON, now),
            "overdue": overdue,
            "pending": filter_aftersale_tab(aftersales, AfterSaleTab.PENDING),
        },
        sums={"at_stake": (overdue, late_compensation_expression())},
    )
    return HomeSummary(
        counts["to_ship"], counts["due_soon"], counts["overdue"], counts["at_stake"],
        counts["pending"],
    )  # fmt: skip


# --- after-sales ----------------------------------------------------------------------

AFTERSALE_SORT = Sort("created_at", descending=True)


def aftersale_list(*, context: ConsoleContext):
    return scope(AfterSale.objects.all(), context).select_related("order", "item")


def aftersale_tab_counts(*, context: ConsoleContext) -> dict[str, CappedCount]:
    aftersales = scope(AfterSale.objects.all(), context)
    return capped_counts(
        {key: filter_aftersale_tab(aftersales, key) for key, _label in AfterSaleTab.CHOICES}
    )


def aftersale_detail(*, context: ConsoleContext, aftersale_id: int) -> AfterSale:
    return get_scoped_or_404(
        AfterSale.objects.select_related("order", "item").prefetch_related(
            Prefetch(
                "events",
                queryset=AfterSaleEvent.objects.select_related("actor").order_by(
                    "created_at", "id"
                ),
            )
        ),
        context,
        pk=aftersale_id,
    )
