"""Reads for the order and after-sale consoles and the API, scoped to the current shop.

Built for a million orders in a shop: pages are keyset pages on (sort key, id), never
OFFSET; tab counts are capped counts over a LIMIT, never a full COUNT(*); a page costs
the same number of queries whatever its size.
"""

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Prefetch, Q, Sum

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

# Counts stop here (a tab shows "999+"): each reads at most this many index entries.
COUNT_CAP = 1_000
PAGE_SIZES = (20, 50, 100)


@dataclass(frozen=True)
class CappedCount:
    value: int

    @property
    def capped(self) -> bool:
        return self.value >= COUNT_CAP

    def __str__(self) -> str:
        return f"{COUNT_CAP - 1}+" if self.capped else str(self.value)


def capped_counts(querysets: dict[str, object]) -> dict[str, CappedCount]:
    """Count each queryset up to COUNT_CAP rows, all in one SQL statement."""
    if not querysets:
        return {}
    parts, params = [], []
    for queryset in querysets.values():
        sql, sub_params = queryset.order_by().values("pk")[:COUNT_CAP].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")
        params.extend(sub_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {key: CappedCount(value) for key, value in zip(querysets, row, strict=True)}


# --- keyset pages ---------------------------------------------------------------------


@dataclass(frozen=True)
class Sort:
    field: str
    descending: bool
    # Rows without the field (e.g. unpaid orders have no pay time) are not in this order.
    nullable: bool = False


@dataclass
class KeysetPage:
    rows: list
    next_cursor: str | None
    previous_cursor: str | None


class BadCursor(ValueError):
    pass


def _encode(direction: str, value: datetime, pk: int) -> str:
    raw = json.dumps([direction, value.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[str, datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        direction, value, pk = json.loads(raw)
        if direction not in ("n", "p"):
            raise ValueError(direction)
        return direction, datetime.fromisoformat(value), int(pk)
    except (ValueError, TypeError) as exc:
        raise BadCursor(cursor) from exc


def _beyond(sort: Sort, value, pk: int, forward: bool) -> Q:
    """Rows after (value, pk) in the walking direction. The first, redundant bound lets
    PostgreSQL start the index scan at the cursor instead of filtering from the top."""
    before = sort.descending == forward  # walking towards smaller values
    op, strict = ("lte", "lt") if before else ("gte", "gt")
    return Q(**{f"{sort.field}__{op}": value}) & (
        Q(**{f"{sort.field}__{strict}": value}) | Q(**{sort.field: value, f"pk__{strict}": pk})
    )


def keyset_page(queryset, *, sort: Sort, cursor: str | None, size: int) -> KeysetPage:
    """One page of `queryset` in `sort` order, after or before `cursor`.

    Raises BadCursor for a cursor that was not made here.
    """
    if sort.nullable:
        queryset = queryset.filter(**{f"{sort.field}__isnull": False})
    direction, value, pk = _decode(cursor) if cursor else ("n", None, None)
    forward = direction == "n"
    ordering = [sort.field, "pk"] if sort.descending != forward else [f"-{sort.field}", "-pk"]
    if value is not None:
        queryset = queryset.filter(_beyond(sort, value, pk, forward))
    rows = list(queryset.order_by(*ordering)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    if not rows:
        return KeysetPage([], None, None)
    first, last = rows[0], rows[-1]
    has_next = more if forward else True
    has_previous = (value is not None) if forward else more
    return KeysetPage(
        rows,
        _encode("n", getattr(last, sort.field), last.pk) if has_next else None,
        _encode("p", getattr(first, sort.field), first.pk) if has_previous else None,
    )


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
    """What 首页 shows about orders in two queries: orders to ship, due soon, overdue and
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
        }
    )
    at_stake = overdue.aggregate(total=Sum(late_compensation_expression()))["total"]
    return HomeSummary(
        counts["to_ship"], counts["due_soon"], counts["overdue"], at_stake or 0, counts["pending"]
    )


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
