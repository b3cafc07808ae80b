"""What each headline figure means: one text for the ⓘ on the page, the API schema and
docs/metrics.md. Times are Beijing time; a period is whole Beijing days, half-open."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Figure:
    key: str  # the API's key
    label: str
    definition: str
    money: bool = False


FIGURES = (
    Figure("orders", _("订单总量"), _("周期内提交的订单数（按下单时间），无论之后是否支付。")),
    Figure(
        "paid_orders",
        _("支付订单数"),
        _("周期内支付的订单数（按支付时间）。支付后退款或取消的订单仍计入。"),
    ),
    Figure(
        "gmv_fen",
        _("成交金额"),
        _(
            "周期内支付订单的实付金额之和（按支付时间，含运费）。退款不扣减，单独计入退款金额；"
            "从未支付的订单不计入。"
        ),
        money=True,
    ),
    Figure("buyers", _("成交人数"), _("周期内有支付订单的不同买家数（按买家ID去重）。")),
    Figure(
        "aov_fen",
        _("客单价"),
        _("成交金额 ÷ 成交人数；没有成交人数时显示“—”。"),
        money=True,
    ),
    Figure(
        "refund_fen",
        _("退款金额"),
        _("周期内退款成功的金额之和（按退款成功时间），订单可能是更早支付的。"),
        money=True,
    ),
    Figure(
        "refund_rate",
        _("退款率"),
        _("退款金额 ÷ 成交金额（同一周期）；没有成交金额时显示“—”。接口以基点（万分之一）给出。"),
    ),
    Figure(
        "cancelled",
        _("取消订单"),
        _("周期内取消的订单数（按取消时间），单独计数：未支付即取消的不进入成交金额。"),
    ),
)
FIGURE_KEYS = tuple(figure.key for figure in FIGURES)

# Order value bands (fen, lower bounds) for the 价格带 histogram: the steps merchants
# price bundles at.
BANDS = (0, 5000, 10000, 20000, 30000, 50000, 100000)


def band_of(paid_fen: int) -> int:
    return max(bound for bound in BANDS if paid_fen >= bound)


def band_label(bound: int) -> str:
    upper = next((b for b in BANDS if b > bound), None)
    if upper is None:
        return f"¥{bound // 100}+"
    return f"¥{bound // 100}–{upper // 100}"
