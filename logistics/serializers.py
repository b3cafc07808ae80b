from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import Carrier, Shipment, ShipmentLine, TrackingEvent


class CarrierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Carrier
        fields = ("code", "name", "aliases", "tracking_pattern", "tracking_example")


class CarrierCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(
            slug_field="code",
            queryset=Carrier.objects.filter(is_active=True),
            error_messages={"does_not_exist": _("未知的快递公司编码：%(value)s")},
            **kwargs,
        )


class ShipmentLineSerializer(serializers.ModelSerializer):
    order_no = serializers.CharField(source="order.order_no", read_only=True)
    item_no = serializers.CharField(source="item.item_no", read_only=True)

    class Meta:
        model = ShipmentLine
        fields = ("order_id", "order_no", "item_id", "item_no", "quantity")


class TrackingEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrackingEvent
        fields = ("occurred_at", "status", "location", "description")


class ShipmentSerializer(serializers.ModelSerializer):
    carrier = serializers.CharField(source="carrier.code")
    carrier_name = serializers.CharField(source="carrier.name")
    lines = ShipmentLineSerializer(many=True)
    tracking_events = TrackingEventSerializer(many=True)

    class Meta:
        model = Shipment
        fields = (
            "id",
            "carrier",
            "carrier_name",
            "tracking_no",
            "aftersale_id",
            "shipped_at",
            "tracking_status",
            "first_scan_at",
            "signed_at",
            "printed_at",
            "print_count",
            "lines",
            "tracking_events",
        )


class LineInputSerializer(serializers.Serializer):
    item_id = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1)


class ShipmentCreateSerializer(serializers.Serializer):
    """One parcel: `lines` (child order id and quantity), or `order_id` alone to ship
    everything the order still owes, or `aftersale_id` for a 换货 exchange parcel."""

    carrier = CarrierCodeField()
    tracking_no = serializers.CharField(max_length=60)
    lines = LineInputSerializer(many=True, required=False)
    order_id = serializers.IntegerField(min_value=1, required=False)
    aftersale_id = serializers.IntegerField(min_value=1, required=False)

    def validate(self, attrs):
        given = [key for key in ("lines", "order_id", "aftersale_id") if attrs.get(key)]
        if len(given) != 1:
            raise serializers.ValidationError(
                _("请只填写 lines、order_id、aftersale_id 其中之一。")
            )
        return attrs


class ShipmentCorrectSerializer(serializers.Serializer):
    carrier = CarrierCodeField()
    tracking_no = serializers.CharField(max_length=60)


class ShipmentCreatedSerializer(serializers.Serializer):
    shipments = ShipmentSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())
