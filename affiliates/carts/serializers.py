"""The API's view of the video and live carts (`affiliates.api.CartViewSet`)."""

from rest_framework import serializers

from ..models import LiveItem, LiveSession, Video, VideoItem


class CartItemSerializer(serializers.Serializer):
    item = serializers.IntegerField()


class _CartLinkSerializer(serializers.ModelSerializer):
    """An item in a video's or a live's cart."""

    title = serializers.CharField(source="item.display_title", read_only=True)
    source = serializers.CharField(source="item.source", read_only=True)


class VideoItemSerializer(_CartLinkSerializer):
    class Meta:
        model = VideoItem
        fields = ("item", "title", "source", "position", "added_at")


class VideoSerializer(serializers.ModelSerializer):
    items = VideoItemSerializer(many=True, read_only=True)

    class Meta:
        model = Video
        fields = ("id", "title", "douyin_video_id", "published_at", "items")
        read_only_fields = ("id", "items")


class LiveItemSerializer(_CartLinkSerializer):
    class Meta:
        model = LiveItem
        fields = ("item", "title", "source", "position", "is_explaining", "explaining_since")


class LiveSessionSerializer(serializers.ModelSerializer):
    items = LiveItemSerializer(many=True, read_only=True)
    phase = serializers.CharField(read_only=True)

    class Meta:
        model = LiveSession
        fields = ("id", "title", "starts_at", "ends_at", "phase", "items")
        read_only_fields = ("id", "phase", "items")
