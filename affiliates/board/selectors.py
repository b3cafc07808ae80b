"""The creator's 数据看板: orders and amount a creator brought (paid orders, by payment
time, all shops together), by channel, video, live session and item, from the
per-creator rollup orders.stats keeps (CreatorDayStat); commission from the ledger.
Scoped through shops.tenancy.scope, so another creator's rows are never read."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum

from orders.models import TrafficSource
from orders.stats.models import CreatorDayStat, Dim
from orders.stats.periods import Period
from orders.stats.selectors import TOP, ratio_bp
from products.models import Product
from shops.tenancy import ConsoleContext, scope

from ..ledger.selectors import income_daily
from ..models import LiveSession, Video

# The ways a creator sells (橱窗 / 视频 / 直播); other sources only when they occur.
CHANNELS = (TrafficSource.SHOWCASE, TrafficSource.VIDEO, TrafficSource.LIVE)
FIGURE_KEYS = ("paid_orders", "gmv_fen", "aov_fen", "estimated_fen", "settled_fen")


def _in(period: Period) -> Q:
    return Q(day__gte=period.start, day__lte=period.end)


def _stats(context: ConsoleContext):
    return scope(CreatorDayStat.objects.all(), context)


def _daily(context: ConsoleContext, period: Period) -> tuple[dict, dict]:
    """{day: (orders, amount)} and {day: (estimated, settled)} over the period and the
    previous one (2 queries)."""
    orders = {
        day: (n, amount)
        for day, n, amount in _stats(context)
        .filter(dim=Dim.TOTAL, day__gte=period.previous.start, day__lte=period.end)
        .values_list("day")
        .annotate(Sum("orders"), Sum("amount_fen"))
        .order_by()
    }
    money = {
        row["day"]: (row["estimated_fen"], row["settled_fen"])
        for row in income_daily(context=context, start=period.previous.start, end=period.end)
    }
    return orders, money


def _figures(period: Period, orders: dict, money: dict) -> dict:
    days = period.dates()
    paid = sum(orders.get(day, (0, 0))[0] for day in days)
    gmv = sum(orders.get(day, (0, 0))[1] for day in days)
    return {
        "paid_orders": paid,
        "gmv_fen": gmv,
        "aov_fen": int((Decimal(gmv) / paid).to_integral_value(ROUND_HALF_UP)) if paid else None,
        "estimated_fen": sum(money.get(day, (0, 0))[0] for day in days),
        "settled_fen": sum(money.get(day, (0, 0))[1] for day in days),
    }


def overview(*, context: ConsoleContext, period: Period) -> dict:
    """Paid orders and amount the creator brought, average order value, commission
    estimated and settled in the period; `previous` for 环比 (2 queries)."""
    orders, money = _daily(context, period)
    return {
        **_figures(period, orders, money),
        "previous": _figures(period.previous, orders, money),
    }


def trend(*, context: ConsoleContext, period: Period) -> dict:
    """Per day: paid orders, amount, estimated and settled commission, and the previous
    period's orders and amount aligned point by point (2 queries)."""
    orders, money = _daily(context, period)

    def series(p: Period, table: dict, n: int) -> list[int]:
        return [table.get(day, (0, 0))[n] for day in p.dates()]

    return {
        "labels": [day.isoformat() for day in period.dates()],
        "paid_orders": series(period, orders, 0),
        "gmv_fen": series(period, orders, 1),
        "estimated_fen": series(period, money, 0),
        "settled_fen": series(period, money, 1),
        "previous": {
            "labels": [day.isoformat() for day in period.previous.dates()],
            "paid_orders": series(period.previous, orders, 0),
            "gmv_fen": series(period.previous, orders, 1),
        },
    }


def _by_key(context: ConsoleContext, period: Period, dim: str) -> dict[str, tuple[int, int]]:
    return {
        key: (n, amount)
        for key, n, amount in _stats(context)
        .filter(_in(period), dim=dim)
        .values_list("key")
        .annotate(Sum("orders"), Sum("amount_fen"))
        .order_by()
    }


def _total(context: ConsoleContext, period: Period) -> tuple[int, int]:
    row = (
        _stats(context)
        .filter(_in(period), dim=Dim.TOTAL)
        .aggregate(n=Sum("orders", default=0), amount=Sum("amount_fen", default=0))
    )
    return row["n"], row["amount"]


def _rows(found: dict, total: tuple[int, int], names: dict) -> list[dict]:
    return [
        {
            "key": key,
            "label": names.get(key, key),
            "orders": n,
            "amount_fen": amount,
            "order_share": ratio_bp(n, total[0]),
            "amount_share": ratio_bp(amount, total[1]),
        }
        for key, (n, amount) in found.items()
    ]


def _top(found: dict) -> dict:
    """The TOP keys by amount, then orders (ties by key, so the order is stable)."""
    return dict(sorted(found.items(), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0]))[:TOP])


def channels(*, context: ConsoleContext, period: Period) -> dict:
    """Paid orders and amount by channel: 橱窗, 视频, 直播 (2 queries)."""
    found = _by_key(context, period, Dim.SOURCE)
    keys = [*CHANNELS, *sorted(set(found) - set(CHANNELS))]
    names = {value: str(label) for value, label in TrafficSource.choices}
    names[TrafficSource.VIDEO] = str(Dim.VIDEO.label)
    rows = {key: found.get(key, (0, 0)) for key in keys}
    return {"rows": _rows(rows, _total(context, period), names)}


def videos(*, context: ConsoleContext, period: Period) -> dict:
    """The TOP videos by amount, named by their title (3 queries)."""
    top = _top(_by_key(context, period, Dim.VIDEO))
    names = dict(
        scope(Video.objects.all(), context)
        .filter(douyin_video_id__in=list(top))
        .values_list("douyin_video_id", "title")
    )
    return {"rows": _rows(top, _total(context, period), names)}


def lives(*, context: ConsoleContext, period: Period) -> dict:
    """The TOP live sessions by amount, named by their title (3 queries)."""
    top = _top(_by_key(context, period, Dim.LIVE))
    ids = [int(key) for key in top if key.isdigit()]
    names = {
        str(pk): title
        for pk, title in scope(LiveSession.objects.all(), context)
        .filter(pk__in=ids)
        .values_list("pk", "title")
    }
    return {"rows": _rows(top, _total(context, period), names)}


def items(*, context: ConsoleContext, period: Period) -> dict:
    """The TOP items (products) by amount: an order counts once per product, the amount
    is those items' paid amount (3 queries)."""
    top = _top(_by_key(context, period, Dim.PRODUCT))
    # Products of any shop the creator sold for: titles only, which buyers see anyway.
    names = {
        str(pk): title
        for pk, title in Product.objects.filter(pk__in=[int(k) for k in top]).values_list(
            "pk", "title"
        )
    }
    return {"rows": _rows(top, _total(context, period), names)}
