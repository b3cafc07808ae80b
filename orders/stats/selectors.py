"""The figures of a period, read from the rollups (a few queries each, whatever the
number of orders), scoped through shops.tenancy.scope. Plain dicts: the API returns
them as they are, the pages and CSV files render them through orders.stats.tables."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum

from products.models import Product, ProductStatus
from shops.models import Creator
from shops.tenancy import ConsoleContext, scope

from ..models import Channel, TrafficSource
from .definitions import BANDS, band_label
from .models import BuyerGap, Dim, ShopDayStat, ShopHourStat
from .periods import Period

TOP = 10
PEAKS = 3


def ratio_bp(part: int, whole: int) -> int | None:
    """part ÷ whole in basis points, rounded half up; None when whole is 0."""
    if not whole:
        return None
    return int((Decimal(part) * 10000 / Decimal(whole)).to_integral_value(ROUND_HALF_UP))


def change_text(current, previous) -> str:
    """环比 as merchants read it: "+12%", "−4%", "0%"; "—" without a base to compare."""
    if current is None or not previous:
        return "—"
    percent = int(
        (Decimal(current - previous) * 100 / Decimal(previous)).to_integral_value(ROUND_HALF_UP)
    )
    if percent > 0:
        return f"+{percent}%"
    return f"−{-percent}%" if percent < 0 else "0%"


def _in(period: Period) -> Q:
    return Q(day__gte=period.start, day__lte=period.end)


HOUR_SUMS = ("orders", "paid_orders", "gmv_fen", "refund_fen", "cancelled")


def _figures(sums: dict, buyers: int) -> dict:
    gmv = sums["gmv_fen"]
    aov = int((Decimal(gmv) / buyers).to_integral_value(ROUND_HALF_UP)) if buyers else None
    return {
        "orders": sums["orders"],
        "paid_orders": sums["paid_orders"],
        "gmv_fen": gmv,
        "buyers": buyers,
        "aov_fen": aov,
        "refund_fen": sums["refund_fen"],
        "refund_rate": ratio_bp(sums["refund_fen"], gmv),
        "cancelled": sums["cancelled"],
    }


def _buyer_counts(context: ConsoleContext, periods: dict[str, Period]) -> dict[str, dict]:
    """Distinct paying buyers of each period, split into new (first purchase ever) and
    returning: the BuyerGap rows whose previous paying day lies before the period."""
    sums = {}
    for name, period in periods.items():
        within = _in(period)
        sums[f"{name}_new"] = Sum("buyers", filter=within & Q(prev_day__isnull=True))
        sums[f"{name}_returning"] = Sum("buyers", filter=within & Q(prev_day__lt=period.start))
    row = scope(BuyerGap.objects.all(), context).aggregate(**sums)
    return {
        name: {"new": row[f"{name}_new"] or 0, "returning": row[f"{name}_returning"] or 0}
        for name in periods
    }


def overview(*, context: ConsoleContext, period: Period) -> dict:
    """The headline figures of the period and of the previous one (2 queries)."""
    periods = {"current": period, "previous": period.previous}
    row = (
        scope(ShopHourStat.objects.all(), context)
        .filter(day__gte=period.previous.start, day__lte=period.end)
        .aggregate(
            **{
                f"{name}_{field}": Sum(field, filter=_in(p), default=0)
                for name, p in periods.items()
                for field in HOUR_SUMS
            }
        )
    )
    buyers = _buyer_counts(context, periods)
    figures = {
        name: _figures(
            {field: row[f"{name}_{field}"] for field in HOUR_SUMS},
            buyers[name]["new"] + buyers[name]["returning"],
        )
        for name in periods
    }
    return {**figures["current"], "previous": figures["previous"]}


def trend(*, context: ConsoleContext, period: Period) -> dict:
    """Orders placed, paid orders and amount by day (by hour for a one-day period),
    with the previous period's aligned point by point (1 query)."""
    rows = scope(ShopHourStat.objects.all(), context).filter(
        day__gte=period.previous.start, day__lte=period.end
    )
    fields = ("orders", "paid_orders", "gmv_fen")
    if period.hourly:
        rows = rows.values_list("day", "hour", *fields)
        keys = [(day, hour) for day in (period.start, period.previous.start) for hour in range(24)]
        found = {(day, hour): values for day, hour, *values in rows}
        labels = [f"{hour:02d}:00" for hour in range(24)]
    else:
        rows = rows.values_list("day").annotate(*(Sum(f) for f in fields)).order_by()
        keys = period.dates() + period.previous.dates()
        found = {day: values for day, *values in rows}
        labels = [day.isoformat() for day in period.dates()]
    size = len(labels)
    series = [found.get(key, (0, 0, 0)) for key in keys]
    current, previous = series[:size], series[size:]
    return {
        "hourly": period.hourly,
        "labels": labels,
        **{field: [values[n] for values in current] for n, field in enumerate(fields)},
        "previous": {
            "labels": [day.isoformat() for day in period.previous.dates()]
            if not period.hourly
            else labels,
            **{field: [values[n] for values in previous] for n, field in enumerate(fields)},
        },
    }


def _by_key(context, period: Period, dim: str, parent: str = "") -> dict[str, tuple[int, int]]:
    rows = (
        scope(ShopDayStat.objects.all(), context)
        .filter(_in(period), dim=dim, parent=parent)
        .values_list("key")
        .annotate(Sum("orders"), Sum("amount_fen"))
        .order_by()
    )
    return {key: (orders, amount) for key, orders, amount in rows}


def _paid_total(context, period: Period) -> int:
    return (
        scope(ShopHourStat.objects.all(), context)
        .filter(_in(period))
        .aggregate(n=Sum("paid_orders", default=0))["n"]
    )


def _rows(found: dict, total_orders: int, total_fen: int, **labels) -> list[dict]:
    return [
        {
            "key": key,
            "orders": orders,
            "amount_fen": amount,
            "order_share": ratio_bp(orders, total_orders),
            "amount_share": ratio_bp(amount, total_fen),
            **({"label": labels["names"].get(key, key)} if "names" in labels else {}),
        }
        for key, (orders, amount) in found.items()
    ]


def products(*, context: ConsoleContext, period: Period) -> dict:
    """Top products by paid orders and by amount, with their share of all paid orders
    and of the goods amount; slow movers: on sale, in stock, fewest paid orders."""
    found = _by_key(context, period, Dim.PRODUCT)
    total_orders = _paid_total(context, period)
    total_fen = sum(amount for _orders, amount in found.values())
    on_sale = {
        str(pk): (title, stock)
        for pk, title, stock in scope(Product.objects.all(), context)
        .filter(status=ProductStatus.ON_SALE)
        .annotate(stock=Sum("skus__stock", filter=Q(skus__is_active=True)))
        .filter(stock__gt=0)
        .values_list("pk", "title", "stock")
    }
    ranked_orders = sorted(found.items(), key=lambda kv: (-kv[1][0], -kv[1][1], int(kv[0])))
    ranked_amount = sorted(found.items(), key=lambda kv: (-kv[1][1], -kv[1][0], int(kv[0])))
    wanted = {key for key, _v in ranked_orders[:TOP] + ranked_amount[:TOP]} - set(on_sale)
    names = {key: title for key, (title, _stock) in on_sale.items()}
    names |= {
        str(pk): title
        for pk, title in scope(Product.objects.all(), context)
        .filter(pk__in=[int(k) for k in wanted])
        .values_list("pk", "title")
    }
    slow = sorted(on_sale.items(), key=lambda kv: (found.get(kv[0], (0, 0)), int(kv[0])))[:TOP]
    return {
        "paid_orders": total_orders,
        "goods_fen": total_fen,
        "by_orders": _rows(dict(ranked_orders[:TOP]), total_orders, total_fen, names=names),
        "by_amount": _rows(dict(ranked_amount[:TOP]), total_orders, total_fen, names=names),
        "slow": [
            {
                "key": key,
                "label": title,
                "stock": stock,
                "orders": found.get(key, (0, 0))[0],
                "amount_fen": found.get(key, (0, 0))[1],
            }
            for key, (title, stock) in slow
        ],
    }


def provinces(*, context: ConsoleContext, period: Period, province: str = "") -> dict:
    """Paid orders and amount by province, largest first, with the top-10 share of the
    amount; with `province`, its cities too."""
    found = _by_key(context, period, Dim.PROVINCE)
    total_orders = sum(orders for orders, _amount in found.values())
    total_fen = sum(amount for _orders, amount in found.values())
    rows = sorted(_rows(found, total_orders, total_fen), key=lambda r: (-r["amount_fen"], r["key"]))
    result = {
        "paid_orders": total_orders,
        "gmv_fen": total_fen,
        "top10_share": ratio_bp(sum(r["amount_fen"] for r in rows[:TOP]), total_fen),
        "rows": rows,
        "province": province,
        "cities": [],
    }
    if province:
        cities = _by_key(context, period, Dim.CITY, parent=province)
        in_province = found.get(province, (0, 0))
        result["cities"] = sorted(
            _rows(cities, *in_province), key=lambda r: (-r["amount_fen"], r["key"])
        )
    return result


def hours(*, context: ConsoleContext, period: Period) -> dict:
    """Orders placed and paid by hour of the day over the period; the peak hours are
    the PEAKS hours with the most orders placed (1 query)."""
    found = {
        hour: (orders, paid, gmv)
        for hour, orders, paid, gmv in scope(ShopHourStat.objects.all(), context)
        .filter(_in(period))
        .values_list("hour")
        .annotate(Sum("orders"), Sum("paid_orders"), Sum("gmv_fen"))
        .order_by()
    }
    rows = [
        dict(
            zip(
                ("hour", "orders", "paid_orders", "gmv_fen"),
                (h, *found.get(h, (0, 0, 0))),
                strict=True,
            )
        )
        for h in range(24)
    ]
    ranked = sorted((r for r in rows if r["orders"]), key=lambda r: (-r["orders"], r["hour"]))
    peaks = sorted(r["hour"] for r in ranked[:PEAKS])
    for row in rows:
        row["peak"] = row["hour"] in peaks
    return {"rows": rows, "peaks": peaks}


def price_bands(*, context: ConsoleContext, period: Period) -> dict:
    """Paid orders by order value (实付, with shipping) in the bands of BANDS."""
    found = _by_key(context, period, Dim.BAND)
    total_orders = sum(orders for orders, _amount in found.values())
    total_fen = sum(amount for _orders, amount in found.values())
    complete = {str(bound): found.get(str(bound), (0, 0)) for bound in BANDS}
    names = {str(bound): band_label(bound) for bound in BANDS}
    return {"rows": _rows(complete, total_orders, total_fen, names=names)}


def channels(*, context: ConsoleContext, period: Period) -> dict:
    """小店自卖 vs 精选联盟, traffic sources, top creators by amount, new vs returning
    buyers (4 queries)."""
    found: dict[str, dict] = {Dim.CHANNEL: {}, Dim.SOURCE: {}, Dim.CREATOR: {}}
    for dim, key, orders, amount in (
        scope(ShopDayStat.objects.all(), context)
        .filter(_in(period), dim__in=list(found), parent="")
        .values_list("dim", "key")
        .annotate(Sum("orders"), Sum("amount_fen"))
        .order_by()
    ):
        found[dim][key] = (orders, amount)
    total_orders = sum(orders for orders, _amount in found[Dim.CHANNEL].values())
    total_fen = sum(amount for _orders, amount in found[Dim.CHANNEL].values())
    channel = {str(value): found[Dim.CHANNEL].get(str(value), (0, 0)) for value in Channel.values}
    source = {value: found[Dim.SOURCE].get(value, (0, 0)) for value in TrafficSource.values}
    top = dict(
        sorted(found[Dim.CREATOR].items(), key=lambda kv: (-kv[1][1], -kv[1][0], int(kv[0])))[:TOP]
    )
    nicknames = dict(
        Creator.objects.filter(pk__in=[int(k) for k in top]).values_list("pk", "nickname")
    )
    buyers = _buyer_counts(context, {"current": period})["current"]
    return {
        "channels": _rows(
            channel,
            total_orders,
            total_fen,
            names={str(v): str(name) for v, name in Channel.choices},
        ),
        "sources": _rows(
            source,
            total_orders,
            total_fen,
            names={v: str(name) for v, name in TrafficSource.choices},
        ),
        "creators": _rows(
            top, total_orders, total_fen, names={str(k): v for k, v in nicknames.items()}
        ),
        "buyers": {**buyers, "total": buyers["new"] + buyers["returning"]},
    }
