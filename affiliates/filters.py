"""The filters of the affiliates lists, each shared by the console page and the API:
精选联盟 offers (merchant), 我的橱窗 (creator, and the public showcase), 选品广场."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import FlagInput, id_filter
from products.filters import CategoryFilter
from products.models import Category

from .forms import RatePercentField
from .models import AllianceOffer, OfferStatus, ShowcaseItem
from .selectors import MARKET_SORTS, PRICE_BANDS, MarketFilters, market_narrow


class OfferFilter(django_filters.FilterSet):
    status = django_filters.TypedChoiceFilter(
        label=_("推广状态"), choices=OfferStatus.choices, coerce=int, empty_value=None
    )

    class Meta:
        model = AllianceOffer
        fields = []


class ShowcaseItemFilter(django_filters.FilterSet):
    category = id_filter(_("分类"), "category_id")

    class Meta:
        model = ShowcaseItem
        fields = []


@extend_schema_field(OpenApiTypes.NUMBER)
class _RatePercentFilter(django_filters.Filter):
    field_class = RatePercentField


class MarketFilter(django_filters.FilterSet):
    """选品广场. The rules are `selectors.market_narrow` (also behind `market_offers`);
    this parses them once for the page and the API."""

    q = django_filters.CharFilter(label=_("商品名称"))
    category = CategoryFilter(
        label=_("类目"),
        field_name="product__category",
        queryset=Category.objects.all(),
        empty_label=_("全部类目"),
    )
    price_band = django_filters.ChoiceFilter(
        label=_("价格"),
        choices=[(key, label) for key, (label, _low, _high) in PRICE_BANDS.items()],
        empty_label=_("不限"),
    )
    # The console types a percentage, the API basis points.
    min_rate = _RatePercentFilter(label=_("佣金率不低于（%）"), help_text="")
    min_rate_bp = django_filters.NumberFilter(
        label=_("佣金率不低于（基点）"), min_value=0, max_value=10000, decimal_places=0
    )
    in_stock = django_filters.BooleanFilter(label=_("仅看有货"), widget=FlagInput)
    sort = django_filters.ChoiceFilter(
        label=_("排序"),
        choices=[(key, label) for key, (label, _order) in MARKET_SORTS.items()],
        empty_label=None,
    )

    class Meta:
        model = AllianceOffer
        fields = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        rate = data.get("min_rate") or data.get("min_rate_bp")
        filters = MarketFilters(
            category_id=data["category"].pk if data.get("category") else None,
            price_band=data.get("price_band") or "",
            min_rate_bp=int(rate) if rate else None,
            in_stock=bool(data.get("in_stock")),
            q=(data.get("q") or "").strip(),
            sort=data.get("sort") or "rate",
        )
        return market_narrow(queryset, filters)
