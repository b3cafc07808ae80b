"""Products and SKUs in the API: the same selectors and services as the console."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from shops.api import ShopDetailViewSet, ShopReadViewSet, valid_body
from shops.roles import Perm

from . import selectors, services
from .filters import ProductFilter, SkuFilter
from .models import Product, ProductSpecValue, Sku
from .serializers import (
    ProductSerializer,
    ProductWriteSerializer,
    SkuSerializer,
    StockAdjustSerializer,
)


def _matrix(data) -> dict:
    if "specs" not in data:
        return {}
    return {
        "specs": [(s["name"], s["values"]) for s in data.pop("specs")],
        "rows": data.pop("skus", []),
    }


class ProductViewSet(ShopDetailViewSet):
    """The shop's products with their specs and active SKUs (prices in fen)."""

    queryset = Product.objects.all()
    serializer_class = ProductSerializer
    required_perms = dict.fromkeys(
        ("create", "partial_update", "publish", "unpublish"), Perm.PRODUCT_EDIT
    )

    # The console's filters (`search` or `q`, status, category, low_stock).
    filterset_class = ProductFilter

    def get_queryset(self):
        return selectors.product_list(context=self.console).prefetch_related(
            Prefetch("specs__values", queryset=ProductSpecValue.objects.order_by("position", "id"))
        )

    def get_detail(self, product_id: int):
        product = selectors.product_detail(context=self.console, product_id=product_id)
        return ProductSerializer(product)

    @extend_schema(request=ProductWriteSerializer, responses=ProductSerializer)
    def create(self, request):
        data = dict(valid_body(ProductWriteSerializer, request))
        matrix = _matrix(data)
        product = services.product_create(context=self.console, **data, **matrix)
        return self.detail_response(product.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=ProductWriteSerializer, responses=ProductSerializer)
    def partial_update(self, request, pk=None):
        product = self.get_object()
        data = dict(valid_body(ProductWriteSerializer, request, product, partial=True))
        matrix = _matrix(data)
        services.product_update(context=self.console, product_id=product.pk, data=data, **matrix)
        return self.detail_response(product.pk)

    @extend_schema(request=None, responses=ProductSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self.act(services.product_publish)

    @extend_schema(request=None, responses=ProductSerializer)
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        return self.act(services.product_unpublish)


class SkuViewSet(ShopReadViewSet):
    """The shop's SKUs. Price changes need the price permission; stock changes go
    through stock_adjust and are recorded."""

    queryset = Sku.objects.all()
    serializer_class = SkuSerializer
    required_perms = {"partial_update": Perm.PRODUCT_EDIT, "stock_adjust": Perm.STOCK_ADJUST}

    filterset_class = SkuFilter

    def get_queryset(self):
        return selectors.sku_list(context=self.console)

    @extend_schema(request=SkuSerializer, responses=SkuSerializer)
    def partial_update(self, request, pk=None):
        sku = self.get_object()
        body = valid_body(SkuSerializer, request, sku, partial=True)
        sku = services.sku_update(context=self.console, sku_id=sku.pk, data=body)
        return Response(SkuSerializer(sku).data)

    @extend_schema(request=StockAdjustSerializer, responses=SkuSerializer)
    @action(detail=True, methods=["post"], url_path="stock-adjust")
    def stock_adjust(self, request, pk=None):
        sku = self.get_object()
        body = valid_body(StockAdjustSerializer, request)
        sku = services.sku_adjust_stock(context=self.console, sku_id=sku.pk, **body)
        return Response(SkuSerializer(sku).data)
