"""数据看板 in the API: `GET /api/v1/creator/stats/<view>/?from=YYYY-MM-DD&to=YYYY-MM-DD`
(or `period=`), the same selectors as the page, for the creator the user is. Money in
fen, shares in basis points (null when there is nothing to divide by)."""

from drf_spectacular.utils import inline_serializer
from rest_framework import permissions, serializers

from orders.stats.api import StatsAPIView, stats_view
from shops.tenancy import ContextKind

from . import selectors
from .tables import FIGURES


class CreatorStatsAPIView(StatsAPIView):
    console_kind = ContextKind.CREATOR
    permission_classes = [permissions.IsAuthenticated]
    required_perms = {}


def _figure_fields():
    return {
        f.key: serializers.IntegerField(allow_null=True, help_text=str(f.definition))
        for f in FIGURES
    }


def _view(name: str, selector, description: str, **kwargs):
    return stats_view(
        name, selector, description, base=CreatorStatsAPIView, prefix="creator_stats", **kwargs
    )


ENDPOINTS = {
    "overview": _view(
        "CreatorOverviewAPIView",
        selectors.overview,
        "达人核心指标：成交订单数、成交金额、笔单价、预估佣金、结算佣金，及上一周期（环比基数）。",
        response=inline_serializer(
            "CreatorStatsOverview",
            {
                **_figure_fields(),
                "previous": inline_serializer("CreatorStatsOverviewPrevious", _figure_fields()),
            },
        ),
    ),
    "trend": _view(
        "CreatorTrendAPIView",
        selectors.trend,
        "按天的成交订单数、成交金额、预估与结算佣金，及上期订单数与金额。",
    ),
    "channels": _view(
        "CreatorChannelsAPIView", selectors.channels, "按渠道（橱窗 / 视频 / 直播）的订单数与金额。"
    ),
    "videos": _view("CreatorVideosAPIView", selectors.videos, "视频 TOP 10（按成交金额）。"),
    "lives": _view("CreatorLivesAPIView", selectors.lives, "直播 TOP 10（按成交金额）。"),
    "items": _view("CreatorItemsAPIView", selectors.items, "商品 TOP 10（按成交金额）。"),
}
