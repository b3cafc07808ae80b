"""Each chart of the creator's 数据看板 as a table (orders.stats.tables.Panel): chart,
table and CSV from the same numbers. The headline figures and their definitions."""

from django.utils.translation import gettext_lazy as _

from orders.stats.definitions import Figure
from orders.stats.tables import Line, Panel, series_panel, shares

from . import selectors

FIGURES = (
    Figure(
        "paid_orders",
        _("成交订单数"),
        _(
            "周期内支付的、经你的橱窗、视频或直播成交的订单数（按支付时间，所有店铺合计）。"
            "支付后退款或取消的订单仍计入。"
        ),
    ),
    Figure(
        "gmv_fen",
        _("成交金额"),
        _("这些订单的实付金额之和（含运费）；退款不扣减，从未支付的订单不计入。"),
        money=True,
    ),
    Figure(
        "aov_fen",
        _("笔单价"),
        _("成交金额 ÷ 成交订单数；没有成交订单时显示“—”。"),
        money=True,
    ),
    Figure(
        "estimated_fen",
        _("预估佣金"),
        _(
            "周期内记入佣金账单的预估收入：订单支付时的预估佣金，减去周期内因退款的调整；"
            "已扣技术服务费，含联盟报表导入的收入。"
        ),
        money=True,
    ),
    Figure(
        "settled_fen",
        _("结算佣金"),
        _("周期内结算入账的佣金收入（结算后退款的扣回同样计入），已扣技术服务费。"),
        money=True,
    ),
)


def trend(data: dict) -> list[Panel]:
    days = _("日期")
    lines = [
        Line("paid_orders", _("成交订单数")),
        Line("gmv_fen", _("成交金额"), _("成交金额（元）")),
    ]
    previous = [
        Line("paid_orders", _("上期成交订单数")),
        Line("gmv_fen", _("上期成交金额"), _("上期成交金额（元）")),
    ]
    commission = [
        Line("estimated_fen", _("预估佣金"), _("预估佣金（元）")),
        Line("settled_fen", _("结算佣金"), _("结算佣金（元）")),
    ]
    return [
        series_panel(data, "trend", _("成交趋势"), days, lines, previous=previous),
        series_panel(
            data,
            "commission",
            _("佣金"),
            days,
            commission,
            kind="bar",
            hint=_("来自佣金账单，已扣技术服务费；明细见“佣金收入”。"),
        ),
    ]


def channels(data: dict) -> list[Panel]:
    return [shares("channels", _("橱窗 / 视频 / 直播"), _("渠道"), data["rows"], kind="pie")]


def videos(data: dict) -> list[Panel]:
    return [shares("videos", _("视频 TOP 10（按金额）"), _("视频"), data["rows"], kind="hbar")]


def lives(data: dict) -> list[Panel]:
    return [shares("lives", _("直播 TOP 10（按金额）"), _("直播"), data["rows"], kind="hbar")]


def items(data: dict) -> list[Panel]:
    return [shares("items", _("商品 TOP 10（按金额）"), _("商品"), data["rows"], kind="hbar")]


# view key → (selector, tables, section title); the API, the page and the CSV share it.
VIEWS = {
    "trend": (selectors.trend, trend, _("趋势")),
    "channels": (selectors.channels, channels, _("渠道")),
    "videos": (selectors.videos, videos, _("视频")),
    "lives": (selectors.lives, lives, _("直播")),
    "items": (selectors.items, items, _("商品")),
}
