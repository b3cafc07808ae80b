"""Reads of the ledger and the shop settlement, always through `shops.tenancy.scope`.

Every total is a sum of ledger entries; each total's filter (`ENTRY_STATES`) is the one
the entry list applies, so a total and the entries behind it always agree.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.pagination import Sort
from shops.tenancy import ConsoleContext, get_scoped_or_404, scope

from .models import (
    WITHDRAWABLE_SOURCES,
    Bucket,
    Commission,
    EntryKind,
    IncomeSource,
    IncomeState,
    LedgerEntry,
    SettlementState,
    ShopSettlement,
    Withdrawal,
)

# The totals a creator sees, and which entries make each: 已结算 counts settled income
# wherever it went since (held by or paid out through a withdrawal).
ENTRY_STATES = {
    IncomeState.ESTIMATED: Q(bucket=Bucket.ESTIMATED),
    IncomeState.PENDING: Q(bucket=Bucket.PENDING),
    IncomeState.SETTLED: Q(bucket__in=[Bucket.SETTLED, Bucket.WITHDRAWING, Bucket.WITHDRAWN]),
    IncomeState.INVALID: Q(bucket=Bucket.INVALID),
    IncomeState.WITHDRAWABLE: Q(bucket=Bucket.SETTLED, source__in=WITHDRAWABLE_SOURCES),
}
ENTRY_SORT = Sort("created_at", descending=True)
SETTLEMENT_SORT = Sort("paid_at", descending=True)
# The chart: income estimated (orders paid, less adjustments) and income settled, per day.
# The chart's two lines: income estimated on a day, and income settled on a day. A union
# report's lines count where their import entries land (report_import).
ESTIMATED_CHART = Q(kind__in=[EntryKind.ESTIMATE, EntryKind.ADJUST]) | Q(
    kind=EntryKind.IMPORT, bucket__in=[Bucket.ESTIMATED, Bucket.PENDING]
)
SETTLED_CHART = Q(
    bucket=Bucket.SETTLED, kind__in=[EntryKind.SETTLE, EntryKind.CLAWBACK, EntryKind.IMPORT]
)


def day_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """Beijing days [start, end] as aware datetimes [from, until)."""
    tz = timezone.get_current_timezone()
    lower = datetime.combine(start, time.min, tzinfo=tz) if start else None
    upper = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz) if end else None
    return lower, upper


def _in_days(queryset, field: str, start, end):
    lower, upper = day_bounds(start, end)
    if lower:
        queryset = queryset.filter(**{f"{field}__gte": lower})
    if upper:
        queryset = queryset.filter(**{f"{field}__lt": upper})
    return queryset


def _state_sums(entries) -> dict[str, int]:
    sums = entries.aggregate(
        **{key: Sum("net_fen", filter=condition) for key, condition in ENTRY_STATES.items()}
    )
    return {f"{key}_fen": value or 0 for key, value in sums.items()}


def income_totals(*, context: ConsoleContext, start=None, end=None) -> dict[str, int]:
    """{"estimated_fen", "pending_fen", "settled_fen", "invalid_fen", "withdrawable_fen"}
    for orders placed in [start, end] (Beijing days; all time when None)."""
    entries = _in_days(scope(LedgerEntry.objects.all(), context), "ordered_at", start, end)
    return _state_sums(entries)


def income_summary(*, context: ConsoleContext) -> dict:
    """All-time totals and the same per source (the API's /income/summary/)."""
    entries = scope(LedgerEntry.objects.all(), context)
    summary = _state_sums(entries)
    summary["by_source"] = {
        source: _state_sums(entries.filter(source=source)) for source in IncomeSource.values
    }
    return summary


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: date | None
    end: date | None


def income_periods(*, context: ConsoleContext, periods: list[Period]) -> list[dict]:
    return [
        {"period": p, "totals": income_totals(context=context, start=p.start, end=p.end)}
        for p in periods
    ]


def income_daily(*, context: ConsoleContext, start: date, end: date) -> list[dict]:
    """One row per Beijing day of [start, end]: estimated and settled income (net fen)."""
    entries = _in_days(scope(LedgerEntry.objects.all(), context), "created_at", start, end)
    rows = (
        entries.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(
            estimated=Sum("net_fen", filter=ESTIMATED_CHART),
            settled=Sum("net_fen", filter=SETTLED_CHART),
        )
    )
    by_day = {row["day"]: row for row in rows}
    days = []
    day = start
    while day <= end:
        row = by_day.get(day, {})
        days.append(
            {
                "day": day,
                "estimated_fen": row.get("estimated") or 0,
                "settled_fen": row.get("settled") or 0,
            }
        )
        day += timedelta(days=1)
    return days


def entry_list(
    *,
    context: ConsoleContext,
    state: str = "",
    source: str = "",
    start=None,
    end=None,
    order_no: str = "",
    product: str = "",
):
    """The creator's entries, newest first; the date range is the order's (下单时间)."""
    entries = scope(
        LedgerEntry.objects.select_related("commission", "withdrawal"), context
    ).order_by("-created_at", "-id")
    if state in ENTRY_STATES:
        entries = entries.filter(ENTRY_STATES[state])
    if source:
        entries = entries.filter(source=source)
    entries = _in_days(entries, "ordered_at", start, end)
    if order_no:
        entries = entries.filter(
            Q(commission__order_no=order_no) | Q(commission__external_order_no=order_no)
        )
    if product:
        entries = entries.filter(commission__product_title__icontains=product)
    return entries


def commission_lineage(*, context: ConsoleContext, order_id: int) -> list[Commission]:
    """The creator's commissions on one order, each with every entry (oldest first)."""
    commissions = list(
        scope(Commission.objects.select_related("order"), context)
        .filter(order_id=order_id)
        .order_by("pk")
    )
    entries = LedgerEntry.objects.filter(commission__in=commissions).order_by("created_at", "pk")
    by_commission: dict[int, list] = {}
    for entry in entries:
        by_commission.setdefault(entry.commission_id, []).append(entry)
    for commission in commissions:
        commission.lineage = by_commission.get(commission.pk, [])
    return commissions


def withdrawal_list(*, context: ConsoleContext):
    return scope(Withdrawal.objects.all(), context).order_by("-requested_at", "-id")


def withdrawal_get(*, context: ConsoleContext, withdrawal_id: int) -> Withdrawal:
    return get_scoped_or_404(Withdrawal.objects.all(), context, pk=withdrawal_id)


# --- shop settlement (资金) -------------------------------------------------------------


def settlement_list(*, context: ConsoleContext, state: int | None = None, start=None, end=None):
    """The shop's settlements, by payment time (newest first)."""
    settlements = scope(ShopSettlement.objects.all(), context).order_by("-paid_at", "-id")
    if state:
        settlements = settlements.filter(state=state)
    return _in_days(settlements, "paid_at", start, end)


SETTLEMENT_SUMS = (
    "goods_fen",
    "shipping_fen",
    "platform_fee_fen",
    "commission_fen",
    "refund_fen",
    "refund_after_settle_fen",
    "settle_fen",
)


def settlement_totals(*, context: ConsoleContext, start=None, end=None) -> dict:
    """Sums of the breakdown for orders paid in [start, end], plus 待结算 / 已结算 amounts."""
    settlements = settlement_list(context=context, start=start, end=end)
    settled = Q(state=SettlementState.SETTLED)
    sums = settlements.aggregate(
        orders=Count("pk"),
        # Aliases must differ from the columns they sum.
        **{f"total_{field}": Sum(field) for field in SETTLEMENT_SUMS},
        pending=Sum("settle_fen", filter=Q(state=SettlementState.PENDING)),
        settled=Sum("settle_fen", filter=settled),
        settled_refund=Sum("refund_after_settle_fen", filter=settled),
    )
    sums = {key.removeprefix("total_"): value for key, value in sums.items()}
    totals = {key: value or 0 for key, value in sums.items()}
    # Money settled, less what was refunded after it settled.
    totals["pending_fen"] = totals.pop("pending")
    totals["settled_fen"] = totals.pop("settled") - totals.pop("settled_refund")
    return totals
