"""Judging batch-ship rows: whether each row of a file may ship, and as what parcel.

Every row is judged with data fetched in a handful of queries per chunk (orders, items,
open after-sales, parcels already carrying the same tracking numbers), so ten thousand
rows take seconds. Rows are judged again when they are shipped, since orders may have
changed since the preview.
"""

from collections import defaultdict
from dataclasses import dataclass

from core.models import Said
from orders.models import OPEN_AFTERSALE_STATUSES, AfterSale, Order, OrderItem
from orders.shipping import order_unshippable_reason, shipping_problems

from ..models import Carrier, ParcelNumber, ShipBatchRow, ShipBatchRowResult, ShipmentLine
from ..selectors import carrier_resolve, normalize_tracking_no, tracking_no_said
from ..services.shipments import number_taken_said

R = ShipBatchRowResult
# How many accepted carrier names an "unknown carrier" message lists.
CARRIER_HINTS = 6
NOTE_LIMIT = ShipBatchRow._meta.get_field("note").max_length
# What judging needs of a child order (quantity_to_ship reads the quantities).
ITEM_FIELDS = ("id", "order_id", "item_no", "quantity", "shipped_quantity", "refunded_quantity")


@dataclass
class Verdict:
    result: str
    said: Said
    # For rows that can ship: the parcel to create.
    carrier: Carrier | None = None
    tracking_no: str = ""
    order: Order | None = None
    lines: tuple[tuple[OrderItem, int], ...] = ()


def record(row: ShipBatchRow, result: str, said: Said | None = None, note: str = "") -> None:
    """Set what became of `row`: its result, what it says (a code of logistics.messages)
    and words no code says (a refusal of the shipping service)."""
    row.result = result
    row.code, row.params = (said.code, said.params) if said else ("", {})
    row.note = str(note)[:NOTE_LIMIT]


def said_of(problems: list[Said]) -> Said | None:
    """One Said for several problems of a row's cells (None when there are none)."""
    if len(problems) > 1:
        return Said("cells", {"problems": [[said.code, said.params] for said in problems]})
    return problems[0] if problems else None


class RowJudge:
    """Judges rows of one shop in file order, with everything it needs fetched up front.

    Quantities planned by earlier rows count against later ones, so a file cannot ship
    more than is owed, nor the same line twice.
    """

    def __init__(self, *, shop_id: int, rows, carriers: dict[str, Carrier]):
        self.carriers = carriers
        order_nos = {row.order_no for row in rows if row.order_no}
        self.orders = {
            order.order_no: order
            for order in Order.objects.filter(shop_id=shop_id, order_no__in=order_nos).only(
                "id", "order_no", "status"
            )
        }
        order_ids = [order.pk for order in self.orders.values()]
        self.items: dict[int, list[OrderItem]] = defaultdict(list)
        for item in (
            OrderItem.objects.filter(order_id__in=order_ids).only(*ITEM_FIELDS).order_by("id")
        ):
            self.items[item.order_id].append(item)
        self.open_aftersales = {
            aftersale.item_id: aftersale
            for aftersale in AfterSale.objects.filter(
                order_id__in=order_ids, status__in=OPEN_AFTERSALE_STATUSES
            )
        }
        tracking_nos = {normalize_tracking_no(row.tracking_no) for row in rows if row.tracking_no}
        self.shipped: set[tuple] = set()
        for order_id, item_id, tracking_no in ShipmentLine.objects.filter(
            order_id__in=order_ids, shipment__tracking_no__in=tracking_nos
        ).values_list("order_id", "item_id", "shipment__tracking_no"):
            self.shipped.add((order_id, None, tracking_no))
            self.shipped.add((order_id, item_id, tracking_no))
        # Numbers another shop's parcel holds: refused here already, row by row.
        self.taken = set(
            ParcelNumber.objects.filter(tracking_no__in=tracking_nos)
            .exclude(shop_id=shop_id)
            .values_list("carrier_id", "tracking_no")
        )
        # A 子订单编号 pasted into the 订单号 column: say so instead of "not found".
        unknown = order_nos - set(self.orders)
        self.item_nos = set(
            OrderItem.objects.filter(shop_id=shop_id, item_no__in=unknown).values_list(
                "item_no", flat=True
            )
        )
        self.planned: dict[int, int] = defaultdict(int)
        self.planned_by: dict[int, int] = {}
        self.seen: dict[tuple, int] = {}

    @staticmethod
    def _missing(row) -> Said:
        fields = ("order_no", "carrier_text", "tracking_no")
        return Said("missing", {"fields": [name for name in fields if not getattr(row, name)]})

    def _carrier_hint(self) -> str:
        names = list(dict.fromkeys(carrier.name for carrier in self.carriers.values()))
        return "、".join(names[:CARRIER_HINTS])

    def judge(self, row, problem: Said | None = None) -> Verdict:
        verdict = self._judge(row, problem)
        if verdict.result == R.READY:
            for item, quantity in verdict.lines:
                self.planned[item.pk] += quantity
                self.planned_by.setdefault(item.pk, row.row_number)
        return verdict

    def _judge(self, row, problem: Said | None) -> Verdict:  # noqa: C901 - one rule per branch
        if problem:
            return Verdict(R.INVALID, problem)
        if not (row.order_no and row.carrier_text and row.tracking_no):
            return Verdict(R.INVALID, self._missing(row))
        tracking_no = normalize_tracking_no(row.tracking_no)
        key = (row.order_no, row.item_no, tracking_no)
        if key in self.seen:
            return Verdict(R.INVALID, Said("duplicate_row", {"n": self.seen[key]}))
        self.seen[key] = row.row_number

        order = self.orders.get(row.order_no)
        if order is None:
            code = "item_no_as_order_no" if row.order_no in self.item_nos else "order_not_found"
            return Verdict(R.INVALID, Said(code, {"no": row.order_no}))
        carrier = carrier_resolve(row.carrier_text, self.carriers)
        if carrier is None:
            return Verdict(
                R.INVALID,
                Said("carrier_unknown", {"text": row.carrier_text, "names": self._carrier_hint()}),
            )
        problem = tracking_no_said(carrier, tracking_no)
        if problem:
            return Verdict(R.INVALID, problem)
        if (carrier.pk, tracking_no) in self.taken:
            return Verdict(R.INVALID, number_taken_said(carrier, tracking_no))
        items = self.items[order.pk]
        item = None
        if row.item_no:
            item = next((i for i in items if i.item_no == row.item_no), None)
            if item is None:
                return Verdict(
                    R.INVALID,
                    Said("item_not_in_order", {"item": row.item_no, "no": order.order_no}),
                )
        if (order.pk, item.pk if item else None, tracking_no) in self.shipped:
            return Verdict(
                R.ALREADY_SHIPPED,
                Said("already_shipped", {"no": order.order_no, "tracking": tracking_no}),
            )
        if order_unshippable_reason(order) is not None:
            return Verdict(R.INVALID, self._unshippable(order))
        if row.quantity is not None and item is None:
            return Verdict(R.INVALID, Said("quantity_without_item"))
        lines = self._lines(order, items, item, row.quantity)
        if isinstance(lines, Said):
            return Verdict(R.INVALID, lines)
        owed = {i.pk: self._left(i) for i, _q in lines}
        problems = shipping_problems(order, lines, self.open_aftersales, owed=owed)
        if problems:
            refused = next(iter(problems))
            quantity = dict((i.pk, q) for i, q in lines).get(refused)
            said = self._problem(order, refused, quantity, owed)
            if item is None and len(lines) > 1:
                said.params["split"] = True
            return Verdict(R.INVALID, said)
        count = sum(quantity for _item, quantity in lines)
        return Verdict(
            R.READY,
            Said("ready", {"carrier": carrier.name, "tracking": tracking_no, "n": count}),
            carrier=carrier,
            tracking_no=tracking_no,
            order=order,
            lines=tuple(lines),
        )

    @staticmethod
    def _unshippable(order) -> Said:
        return Said("order_status", {"no": order.order_no, "order_status": order.status})

    def _problem(self, order, item_id, quantity, owed) -> Said:
        """The code of what `orders.shipping.shipping_problems` found (its rule; the
        row stores what it found as a code, to be read in any language)."""
        if item_id is None:
            return self._unshippable(order)
        item = next(i for i in self.items[order.pk] if i.pk == item_id)
        aftersale = self.open_aftersales.get(item_id)
        if aftersale is not None:
            return Said(
                "aftersale_open",
                {
                    "item": item.item_no,
                    "aftersale": aftersale.aftersale_no,
                    "type": aftersale.type,
                    "aftersale_status": aftersale.status,
                },
            )
        left = max(owed.get(item_id, 0), 0)
        return Said("over_owed", {"item": item.item_no, "left": left, "want": quantity})

    def _left(self, item: OrderItem) -> int:
        return item.quantity_to_ship - self.planned[item.pk]

    def _lines(self, order, items, item, quantity):
        """The (item, quantity) lines a row ships, or why it ships nothing (a Said)."""
        if item is not None:
            left = self._left(item)
            wanted = left if quantity is None else quantity
            if left <= 0 or wanted > left:
                params = {
                    "item": item.item_no,
                    "left": max(left, 0),
                    "want": wanted if quantity is not None else item.quantity,
                }
                if item.pk in self.planned_by:
                    params.update(
                        planned_row=self.planned_by[item.pk], planned=self.planned[item.pk]
                    )
                return Said("over_owed", params)
            return [(item, wanted)]
        lines = [(i, self._left(i)) for i in items if self._left(i) > 0]
        if not lines:
            earlier = sorted({self.planned_by[i.pk] for i in items if i.pk in self.planned_by})
            if earlier:
                return Said("planned_by_rows", {"no": order.order_no, "rows": earlier})
            return Said("nothing_to_ship", {"no": order.order_no})
        return lines
