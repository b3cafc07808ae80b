"""Each chart of 数据 as a table: the same numbers feed the chart (`chart`), the table
beside it and its CSV file, so they cannot disagree. Money cells are yuan ("12.90"),
shares are percentages ("12.3%")."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from core.money import fen_to_yuan

from . import selectors


@dataclass
class Panel:
    key: str
    title: str
    headers: list
    rows: list[list]
    # For stats.js: kind (line / bar / hbar / pie), labels, series [{name, values,
    # money, faint}], marked (indexes to highlight). Empty: a table without a chart.
    chart: dict = field(default_factory=dict)
    hint: str = ""
    # A query parameter: the first cell links to the same period drilled into its value.
    drill: str = ""

    @property
    def chart_id(self) -> str:
        return f"chart-{self.key}"


def pct(bp: int | None) -> str:
    return "—" if bp is None else f"{bp / 100:.1f}%"


def _yuan(fen: int) -> float:
    return fen / 100


@dataclass(frozen=True)
class Line:
    """One series of a per-day (per-hour) panel: `key` in the selector's data (money when
    it ends in `_fen`), its name in the chart and its table header."""

    key: str
    name: str
    header: str = ""

    @property
    def money(self) -> bool:
        return self.key.endswith("_fen")


def series_panel(
    data: dict, key: str, title, first_header, lines, *, previous=(), kind="line", hint=""
) -> Panel:
    """A panel of `data["labels"]` against `lines`, then the `previous` period's lines
    (from `data["previous"]`, faint in the chart). The merchant's and the creator's
    trends, the creator's commission."""
    columns = [(line, data[line.key], False) for line in lines] + [
        (line, data["previous"][line.key], True) for line in previous
    ]
    cells = [
        [fen_to_yuan(v) for v in values] if line.money else values for line, values, _f in columns
    ]
    rows = [list(row) for row in zip(data["labels"], *cells, strict=True)]
    series = []
    for line, values, faint in columns:
        one = {
            "name": str(line.name),
            "values": [_yuan(v) for v in values] if line.money else values,
        }
        if line.money:
            one["money"] = True
        if faint:
            one["faint"] = True
        series.append(one)
    headers = [first_header, *(line.header or line.name for line, _v, _f in columns)]
    chart = {"kind": kind, "labels": data["labels"], "series": series}
    return Panel(key, title, headers, rows, chart, hint=hint)


def trend(data: dict) -> list[Panel]:
    lines = [
        Line("orders", _("订单总量")),
        Line("paid_orders", _("支付订单数")),
        Line("gmv_fen", _("成交金额"), _("成交金额（元）")),
    ]
    previous = [
        Line("orders", _("上期订单总量")),
        Line("gmv_fen", _("上期成交金额"), _("上期成交金额（元）")),
    ]
    first = _("小时") if data["hourly"] else _("日期")
    return [series_panel(data, "trend", _("趋势"), first, lines, previous=previous)]


def _share_table(label_header, rows: list[dict], label) -> tuple[list, list[list]]:
    """Headers and rows of orders and amount with their shares, `label(row)` first."""
    headers = [label_header, _("支付订单数"), _("订单占比"), _("成交金额（元）"), _("金额占比")]
    table = [
        [
            label(r),
            r["orders"],
            pct(r["order_share"]),
            fen_to_yuan(r["amount_fen"]),
            pct(r["amount_share"]),
        ]
        for r in rows
    ]
    return headers, table


def _ranked(key: str, title, rows: list[dict], *, by_amount: bool) -> Panel:
    headers, table = _share_table(_("商品"), rows, lambda r: r["label"])
    values = [_yuan(r["amount_fen"]) if by_amount else r["orders"] for r in rows]
    name = _("成交金额") if by_amount else _("支付订单数")
    chart = {
        "kind": "hbar",
        "labels": [r["label"] for r in rows],
        "series": [{"name": str(name), "values": values, "money": by_amount}],
    }
    return Panel(key, title, headers, table, chart)


def products(data: dict) -> list[Panel]:
    slow = Panel(
        "slow",
        _("滞销商品"),
        [_("商品"), _("库存"), _("支付订单数"), _("成交金额（元）")],
        [[r["label"], r["stock"], r["orders"], fen_to_yuan(r["amount_fen"])] for r in data["slow"]],
        hint=_("在售、有库存、本期支付订单最少的商品：可考虑优化或下架。"),
    )
    return [
        _ranked("products_orders", _("商品 TOP 10（按订单）"), data["by_orders"], by_amount=False),
        _ranked("products_amount", _("商品 TOP 10（按金额）"), data["by_amount"], by_amount=True),
        slow,
    ]


def shares(key, title, label_header, rows: list[dict], *, kind="bar") -> Panel:
    headers, table = _share_table(label_header, rows, lambda r: r.get("label", r["key"]))
    chart = {
        "kind": kind,
        "labels": [row[0] for row in table],
        "series": [
            {
                "name": str(_("成交金额")),
                "values": [_yuan(r["amount_fen"]) for r in rows],
                "money": True,
            }
        ],
    }
    return Panel(key, title, headers, table, chart)


def provinces(data: dict) -> list[Panel]:
    panel = shares("provinces", _("省份"), _("省份"), data["rows"])
    panel.drill = "province"
    panel.hint = _("前 10 个省份占成交金额 %(share)s。点省份名查看城市。") % {
        "share": pct(data["top10_share"])
    }
    panels = [panel]
    if data["province"]:
        title = _("%(province)s · 城市") % {"province": data["province"]}
        panels.append(shares("cities", title, _("城市"), data["cities"]))
    return panels


def hours(data: dict) -> list[Panel]:
    rows = data["rows"]
    table = [
        [
            f"{r['hour']:02d}:00",
            r["orders"],
            r["paid_orders"],
            fen_to_yuan(r["gmv_fen"]),
            _("高峰") if r["peak"] else "",
        ]
        for r in rows
    ]
    chart = {
        "kind": "bar",
        "labels": [row[0] for row in table],
        "series": [
            {"name": str(_("订单总量")), "values": [r["orders"] for r in rows]},
            {"name": str(_("支付订单数")), "values": [r["paid_orders"] for r in rows]},
        ],
        "marked": [r["hour"] for r in rows if r["peak"]],
    }
    headers = [_("小时"), _("订单总量"), _("支付订单数"), _("成交金额（元）"), _("高峰")]
    panel = Panel("hours", _("下单时段"), headers, table, chart)
    panel.hint = _("高峰时段适合安排直播。")
    return [panel]


def price_bands(data: dict) -> list[Panel]:
    panel = shares("bands", _("价格带（订单实付）"), _("价格带"), data["rows"])
    panel.chart["series"] = [
        {"name": str(_("支付订单数")), "values": [r["orders"] for r in data["rows"]]}
    ]
    return [panel]


def channels(data: dict) -> list[Panel]:
    buyers = data["buyers"]
    buyer_rows = [[_("新买家"), buyers["new"]], [_("老买家"), buyers["returning"]]]
    return [
        shares("channels", _("小店自卖 vs 精选联盟"), _("订单类型"), data["channels"], kind="pie"),
        shares("sources", _("流量来源"), _("来源"), data["sources"]),
        shares("creators", _("达人 TOP 10（按金额）"), _("达人"), data["creators"], kind="hbar"),
        Panel(
            "buyers",
            _("新老买家"),
            [_("买家"), _("成交人数")],
            buyer_rows,
            {
                "kind": "pie",
                "labels": [str(row[0]) for row in buyer_rows],
                "series": [{"name": str(_("成交人数")), "values": [r[1] for r in buyer_rows]}],
            },
            hint=_("新买家：本期第一次在本店支付；老买家：本期之前支付过。"),
        ),
    ]


# view key → (selector, tables); the API, the page and the CSV files share it.
VIEWS = {
    "trend": (selectors.trend, trend),
    "products": (selectors.products, products),
    "provinces": (selectors.provinces, provinces),
    "hours": (selectors.hours, hours),
    "price-bands": (selectors.price_bands, price_bands),
    "channels": (selectors.channels, channels),
}
