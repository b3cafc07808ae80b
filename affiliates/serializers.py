from django.urls import reverse
from rest_framework import serializers

from .models import (
    MAX_RATE_BP,
    MIN_RATE_BP,
    AllianceOffer,
    AllianceRate,
    ShowcaseCategory,
    ShowcaseItem,
)


class ShowcaseItemSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="display_title", read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    price_fen = serializers.IntegerField(source="current_price_fen", read_only=True)
    stock = serializers.IntegerField(source="current_stock", read_only=True, allow_null=True)
    is_invalid = serializers.BooleanField(read_only=True)
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = ShowcaseItem
        fields = (
            "id",
            "source",
            "source_label",
            "product",
            "offer",
            "external_item_id",
            "title",
            "price_fen",
            "stock",
            "rate_bp",
            "shop_name",
            "image_url",
            "category",
            "recommended",
            "is_new",
            "position",
            "is_invalid",
            "added_at",
            "public_url",
        )
        read_only_fields = tuple(
            f for f in fields if f not in ("category", "recommended", "is_new")
        )

    def get_public_url(self, item) -> str:
        return reverse("showcase:item", args=[item.creator.douyin_id, item.pk])


class ShowcaseItemUpdateSerializer(serializers.Serializer):
    category = serializers.IntegerField(required=False, allow_null=True)
    recommended = serializers.BooleanField(required=False)
    is_new = serializers.BooleanField(required=False)


# The add-from bodies name their ids as the services' arguments (`source`).
class AddFromAllianceSerializer(serializers.Serializer):
    offer = serializers.IntegerField(source="offer_id")


class AddFromShopSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product_id")


class AddFromLinkSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


class MoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["up", "down"])


class ShowcaseCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ShowcaseCategory
        fields = ("id", "name", "position")
        read_only_fields = ("id", "position")


# An 精选联盟 offer named by its product; the shop's and the market's views add to it.
# (A comment: a docstring here would become every offer schema's description.)
class OfferSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="product.title", read_only=True)

    class Meta:
        model = AllianceOffer
        fields = ("id", "product", "title")


class AllianceOfferSerializer(OfferSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    price_min_fen = serializers.IntegerField(read_only=True, allow_null=True)
    stock_total = serializers.IntegerField(read_only=True, allow_null=True)
    rate_bp = serializers.IntegerField(min_value=MIN_RATE_BP, max_value=MAX_RATE_BP)

    class Meta(OfferSerializer.Meta):
        fields = (
            *OfferSerializer.Meta.fields,
            "rate_bp",
            "starts_on",
            "ends_on",
            "status",
            "status_label",
            "opened_at",
            "price_min_fen",
            "stock_total",
        )
        read_only_fields = ("id", "status", "opened_at")


class AllianceOfferOpenSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    rate_bp = serializers.IntegerField(min_value=MIN_RATE_BP, max_value=MAX_RATE_BP)
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)


class AllianceRateSerializer(serializers.ModelSerializer):
    set_by = serializers.CharField(source="set_by.username", read_only=True, default=None)

    class Meta:
        model = AllianceRate
        fields = ("rate_bp", "effective_from", "set_by")


class MarketOfferSerializer(OfferSerializer):
    shop_name = serializers.CharField(source="shop.name")
    category = serializers.CharField(source="product.category.path")
    sales_count = serializers.IntegerField(source="product.sales_count")
    price_min_fen = serializers.IntegerField()
    stock_total = serializers.IntegerField()
    in_showcase = serializers.BooleanField()

    class Meta(OfferSerializer.Meta):
        fields = (
            *OfferSerializer.Meta.fields,
            "shop_name",
            "category",
            "rate_bp",
            "price_min_fen",
            "stock_total",
            "sales_count",
            "starts_on",
            "ends_on",
            "opened_at",
            "in_showcase",
        )
