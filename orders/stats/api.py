"""数据 in the API: `GET /api/v1/stats/<view>/?from=YYYY-MM-DD&to=YYYY-MM-DD` (inclusive
Beijing dates; or `period=today|yesterday|7d|30d|week|month`), the same selectors as
the page, for the shop the token's member acts for. Money in fen, shares and
refund_rate in basis points (null when there is nothing to divide by)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from shops.api import ConsoleAPIMixin, ShopPermission
from shops.roles import Perm

from . import selectors
from .definitions import FIGURES
from .periods import PRESETS, parse_period

PERIOD_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="开始日期（北京时间，含）"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="结束日期（北京时间，含）"),
    OpenApiParameter("period", str, enum=list(PRESETS), description="预设周期（无 from/to 时）"),
]


def _figure_fields():
    return {
        figure.key: serializers.IntegerField(allow_null=True, help_text=str(figure.definition))
        for figure in FIGURES
    }


OverviewSerializer = inline_serializer(
    "StatsOverview",
    {
        **_figure_fields(),
        "previous": inline_serializer("StatsOverviewPrevious", _figure_fields()),
    },
)


class StatsAPIView(ConsoleAPIMixin, APIView):
    permission_classes = [ShopPermission]
    required_perms = {"get": Perm.DATA_VIEW}
    selector = None

    def figures(self, request, period):
        return type(self).selector(context=self.console, period=period)

    def get(self, request):
        return Response(self.figures(request, parse_period(request.query_params)))


def stats_view(
    name: str,
    selector,
    description: str,
    response=OpenApiTypes.OBJECT,
    base=StatsAPIView,
    prefix: str = "stats",
):
    """A view class of its own per endpoint, so each carries its own schema."""

    def get(self, request):
        return base.get(self, request)

    schema = extend_schema(
        operation_id=f"{prefix}_{selector.__name__}",
        description=description,
        parameters=[*PERIOD_PARAMETERS, *getattr(base, "parameters", [])],
        responses=response,
    )
    return type(name, (base,), {"selector": staticmethod(selector), "get": schema(get)})


class ProvincesView(StatsAPIView):
    parameters = [OpenApiParameter("province", str, description="下钻到该省份的城市")]

    def figures(self, request, period):
        return selectors.provinces(
            context=self.console, period=period, province=request.query_params.get("province", "")
        )


ProvincesAPIView = stats_view(
    "ProvincesAPIView",
    selectors.provinces,
    "按省份的支付订单数、成交金额与占比，前 10 省份金额占比；province= 下钻到城市。",
    base=ProvincesView,
)

OverviewAPIView = stats_view(
    "OverviewAPIView",
    selectors.overview,
    "核心指标及上一周期（环比基数）。",
    response=OverviewSerializer,
)
TrendAPIView = stats_view(
    "TrendAPIView", selectors.trend, "按天（单日按小时）的订单总量、支付订单数、成交金额及上期。"
)
ProductsAPIView = stats_view(
    "ProductsAPIView", selectors.products, "商品 TOP 10（按订单、按金额）及占比，滞销商品。"
)
HoursAPIView = stats_view("HoursAPIView", selectors.hours, "按下单小时的订单数，标出高峰小时。")
PriceBandsAPIView = stats_view(
    "PriceBandsAPIView", selectors.price_bands, "按订单实付金额的价格带。"
)
ChannelsAPIView = stats_view(
    "ChannelsAPIView", selectors.channels, "订单类型、流量来源、达人 TOP 10、新老买家。"
)

ENDPOINTS = {
    "overview": OverviewAPIView,
    "trend": TrendAPIView,
    "products": ProductsAPIView,
    "provinces": ProvincesAPIView,
    "hours": HoursAPIView,
    "price-bands": PriceBandsAPIView,
    "channels": ChannelsAPIView,
}
