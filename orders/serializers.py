"""API shapes of orders and after-sales. Money is integer fen (`*_fen`), as stored;
status fields carry 抖店's codes with their label next to them."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.bounds import MAX_FEN
from shops.models import Creator

from .attribution import Attribution
from .deadlines import late_compensation_fen, ship_deadline_state, ship_remaining
from .masking import masked_receiver
from .models import (
    AfterSale,
    AfterSaleEvent,
    Channel,
    Order,
    OrderEvent,
    OrderItem,
    RemarkFlag,
    TrafficSource,
)
from .services import MAX_LINE_QUANTITY


class ReceiverSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()


class ShipDeadlineSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["ok", "soon", "overdue"])
    remaining_seconds = serializers.IntegerField(help_text="负数表示已超时")
    compensation_fen = serializers.IntegerField(allow_null=True, help_text="已超时订单的赔付金额")


class OrderItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderItem
        fields = [
            "id",
            "item_no",
            "product_id",
            "sku_id",
            "product_title",
            "spec_text",
            "outer_code",
            "image_url",
            "unit_price_fen",
            "quantity",
            "paid_fen",
            "shipped_quantity",
            "refunded_quantity",
            "refunded_fen",
        ]


class CreatorBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Creator
        fields = ["id", "nickname", "douyin_id"]


class OrderSerializer(serializers.ModelSerializer):
    """An order as the list shows it: receiver masked, ship deadline worked out."""

    status_display = serializers.CharField(source="get_status_display")
    receiver = serializers.SerializerMethodField()
    ship_deadline = serializers.SerializerMethodField()
    in_aftersale = serializers.SerializerMethodField()
    creator = CreatorBriefSerializer(allow_null=True)
    items = OrderItemSerializer(many=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "order_no",
            "status",
            "status_display",
            "created_at",
            "paid_at",
            "exp_ship_time",
            "shipped_at",
            "completed_at",
            "cancelled_at",
            "cancel_reason",
            "goods_total_fen",
            "shipping_fen",
            "platform_discount_fen",
            "shop_discount_fen",
            "creator_discount_fen",
            "paid_fen",
            "pay_method",
            "channel",
            "traffic_source",
            "creator",
            "video_id",
            "live_room_id",
            "buyer_nickname",
            "buyer_words",
            "seller_remark",
            "remark_flag",
            "receiver",
            "ship_deadline",
            "in_aftersale",
            "items",
        ]

    @extend_schema_field(ReceiverSerializer)
    def get_receiver(self, order):
        return masked_receiver(order)

    @extend_schema_field(ShipDeadlineSerializer(allow_null=True))
    def get_ship_deadline(self, order):
        now = self.context.get("now") or timezone.now()
        state = ship_deadline_state(order, now)
        if state is None:
            return None
        return {
            "state": state,
            "remaining_seconds": int(ship_remaining(order, now).total_seconds()),
            "compensation_fen": late_compensation_fen(order.paid_fen)
            if state == "overdue"
            else None,
        }

    def get_in_aftersale(self, order) -> bool:
        return bool(getattr(order, "in_aftersale", False))


class AfterSaleBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = AfterSale
        fields = ["id", "aftersale_no", "item_id", "type", "status", "refund_fen", "created_at"]


class OrderDetailSerializer(OrderSerializer):
    aftersales = AfterSaleBriefSerializer(many=True)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "aftersales"]

    def get_in_aftersale(self, order) -> bool:
        return any(a.is_open for a in order.aftersales.all())


class OrderEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    # The text in the request's language (code and params are for programs).
    note = serializers.CharField(source="text", read_only=True)

    class Meta:
        model = OrderEvent
        fields = [
            "id",
            "kind",
            "from_status",
            "to_status",
            "actor",
            "code",
            "params",
            "note",
            "created_at",
        ]

    def get_actor(self, event) -> str:
        return event.actor.get_username() if event.actor else event.actor_text


class RemarkSerializer(serializers.Serializer):
    """Leave a field out to keep it; an empty remark clears it."""

    remark = serializers.CharField(max_length=500, required=False, allow_blank=True)
    flag = serializers.ChoiceField(choices=RemarkFlag.choices, required=False)


class BulkRemarkSerializer(RemarkSerializer):
    order_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=500
    )


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=100)


class LineSerializer(serializers.Serializer):
    sku_id = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_LINE_QUANTITY)


class PlaceReceiverSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=30)
    phone = serializers.CharField(max_length=20)
    province = serializers.CharField(max_length=20)
    city = serializers.CharField(max_length=20)
    district = serializers.CharField(max_length=20)
    street = serializers.CharField(max_length=40, required=False, allow_blank=True)
    detail = serializers.CharField(max_length=120)


class BuyerSerializer(serializers.Serializer):
    id = serializers.CharField(max_length=32)
    nickname = serializers.CharField(max_length=40, required=False, allow_blank=True)


class AttributionSerializer(serializers.Serializer):
    creator_id = serializers.IntegerField(required=False, allow_null=True)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.SHOP)
    traffic_source = serializers.ChoiceField(
        choices=TrafficSource.choices, default=TrafficSource.OTHER
    )
    video_id = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)
    live_room_id = serializers.CharField(
        max_length=32, required=False, default="", allow_blank=True
    )

    def validate_creator_id(self, value):
        if value is not None and not Creator.objects.filter(pk=value).exists():
            raise serializers.ValidationError(_("达人 %(id)s 不存在。") % {"id": value})
        return value


class OrderPlaceSerializer(serializers.Serializer):
    """An order placed by an integration, as a buyer would at checkout."""

    lines = LineSerializer(many=True, min_length=1)
    receiver = PlaceReceiverSerializer()
    buyer = BuyerSerializer()
    attribution = AttributionSerializer(required=False)
    buyer_words = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    shipping_fen = serializers.IntegerField(
        min_value=0, max_value=MAX_FEN, required=False, default=0
    )

    def to_service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        attribution = data.pop("attribution", None)
        return {
            **data,
            "lines": [(line["sku_id"], line["quantity"]) for line in data["lines"]],
            "attribution": Attribution(**attribution) if attribution else None,
        }


class AfterSaleItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderItem
        fields = ["id", "item_no", "product_title", "spec_text", "quantity", "paid_fen"]


class AfterSaleSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display")
    type_display = serializers.CharField(source="get_type_display")
    order_no = serializers.CharField(source="order.order_no")
    item = AfterSaleItemSerializer()

    class Meta:
        model = AfterSale
        fields = [
            "id",
            "aftersale_no",
            "order_id",
            "order_no",
            "item",
            "type",
            "type_display",
            "status",
            "status_display",
            "quantity",
            "refund_fen",
            "reason",
            "description",
            "reject_reason",
            "return_carrier",
            "return_tracking_no",
            "created_at",
            "finished_at",
        ]


class AfterSaleEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    note = serializers.CharField(source="text", read_only=True)

    class Meta:
        model = AfterSaleEvent
        fields = ["from_status", "to_status", "actor", "code", "params", "note", "created_at"]

    def get_actor(self, event) -> str:
        return event.actor.get_username() if event.actor else event.actor_text


class AfterSaleDetailSerializer(AfterSaleSerializer):
    events = AfterSaleEventSerializer(many=True)

    class Meta(AfterSaleSerializer.Meta):
        fields = [*AfterSaleSerializer.Meta.fields, "events"]


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
