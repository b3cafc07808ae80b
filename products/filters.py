"""The filters of the product list, shared by the console (`products:list`, its export)
and the API (`/api/v1/products/`)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_filters import fields

from core.bounds import MAX_ID, MAX_STOCK, parse_int
from core.filters import id_filter, search_filter

from .models import Category, Product, ProductStatus, Sku


class FirstLevelChoices(fields.ModelChoiceIterator):
    """The picker offers first-level categories; any category is accepted (a second-level
    one narrows to itself)."""

    def __init__(self, field):
        super().__init__(field)
        self.queryset = self.queryset.filter(parent__isnull=True)


class _CategoryField(fields.ModelChoiceField):
    iterator = FirstLevelChoices


class CategoryFilter(django_filters.ModelChoiceFilter):
    """A category picker (first levels offered, any accepted); also 选品广场's."""

    field_class = _CategoryField


def _search(queryset, text):
    """The title, the 商品ID, or any SKU's 商家编码."""
    by_code = Sku.objects.filter(product=OuterRef("pk"), outer_code__icontains=text)
    condition = Q(title__icontains=text) | Exists(by_code)
    product_id = parse_int(text, maximum=MAX_ID)
    if product_id is not None:
        condition |= Q(pk=product_id)
    return queryset.filter(condition)


class ProductFilter(django_filters.FilterSet):
    q = search_filter(
        _("搜索"),
        _search,
        widget=forms.TextInput(attrs={"placeholder": _("商品名称 / 商品ID / 商家编码")}),
    )
    # The API's name for `q`.
    search = search_filter(_("搜索"), _search)
    status = django_filters.TypedChoiceFilter(
        label=_("状态"),
        choices=ProductStatus.choices,
        coerce=int,
        empty_value=None,
    )
    category = CategoryFilter(
        label=_("类目"),
        queryset=Category.objects.all(),
        method="filter_category",
        empty_label=_("全部类目"),
    )
    low_stock = django_filters.NumberFilter(
        label=_("库存 ≤"),
        method="filter_low_stock",
        min_value=0,
        max_value=MAX_STOCK,
        decimal_places=0,
        widget=forms.NumberInput(attrs={"placeholder": "10"}),
    )

    class Meta:
        model = Product
        fields = []

    def filter_category(self, queryset, name, category):
        """A first-level category keeps the products of all its children."""
        return queryset.filter(Q(category_id=category.pk) | Q(category__parent_id=category.pk))

    def filter_low_stock(self, queryset, name, value):
        """Products with an active SKU at or below that stock."""
        low = Sku.objects.filter(product=OuterRef("pk"), is_active=True, stock__lte=int(value))
        return queryset.filter(Exists(low))


class SkuFilter(django_filters.FilterSet):
    product = id_filter(_("商品ID"), "product_id")

    class Meta:
        model = Sku
        fields = []
