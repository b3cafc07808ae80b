from rest_framework import serializers

from core.bounds import MAX_FEN, MAX_STOCK

from .models import Product, Sku
from .selectors import category_leaves
from .services import PRODUCT_FIELDS


class SkuSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sku
        fields = (
            "id",
            "product",
            "spec_text",
            "spec_values",
            "outer_code",
            "price_fen",
            "stock",
            "is_active",
            "updated_at",
        )
        read_only_fields = (
            "id",
            "product",
            "spec_text",
            "spec_values",
            "stock",
            "is_active",
            "updated_at",
        )
        extra_kwargs = {"price_fen": {"min_value": 1, "max_value": MAX_FEN}}


class SpecSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=20)
    values = serializers.ListField(child=serializers.CharField(max_length=30), allow_empty=False)


class ProductSerializer(serializers.ModelSerializer):
    category_path = serializers.CharField(source="category.path", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    specs = serializers.SerializerMethodField()
    skus = SkuSerializer(source="active_skus", many=True, read_only=True)

    class Meta:
        model = Product
        fields = (
            "id",
            "title",
            "category",
            "category_path",
            "description",
            "return_policy",
            "ship_promise",
            "limit_per_order",
            "limit_per_buyer",
            "status",
            "status_display",
            "ban_reason",
            "sales_count",
            "specs",
            "skus",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def get_specs(self, product) -> list[dict]:
        return [
            {"name": spec.name, "values": [v.value for v in spec.values.all()]}
            for spec in product.specs.all()
        ]


class SkuRowSerializer(serializers.Serializer):
    spec_text = serializers.CharField(allow_blank=True, max_length=200)
    price_fen = serializers.IntegerField(min_value=1, max_value=MAX_FEN, required=False)
    stock = serializers.IntegerField(min_value=0, max_value=MAX_STOCK, required=False)
    outer_code = serializers.CharField(allow_blank=True, max_length=50, required=False)


class ProductWriteSerializer(serializers.ModelSerializer):
    """Product fields plus, optionally, the whole spec matrix: `specs` (names and values)
    and `skus` rows keyed by spec_text ("颜色:红;尺码:S")."""

    category = serializers.PrimaryKeyRelatedField(queryset=category_leaves())
    specs = SpecSerializer(many=True, required=False)
    skus = SkuRowSerializer(many=True, required=False)

    class Meta:
        model = Product
        # The fields product_update writes, plus the matrix.
        fields = (*PRODUCT_FIELDS, "specs", "skus")


class StockAdjustSerializer(serializers.Serializer):
    delta = serializers.IntegerField(min_value=-MAX_STOCK, max_value=MAX_STOCK)
    note = serializers.CharField(max_length=200)
