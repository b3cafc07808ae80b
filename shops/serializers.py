from rest_framework import serializers

from .accounts import ACCOUNT_FACT_FIELDS
from .models import Creator, Membership, Shop
from .roles import Role
from .services import CREATOR_PROFILE_FIELDS, SHOP_SETTINGS_FIELDS


class ShopSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shop
        fields = ("id", "name", "slug", "status")


class ShopSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shop
        fields = ("id", "slug", *SHOP_SETTINGS_FIELDS)
        read_only_fields = ("id", "slug")


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ("id", "username", "role", "created_at")
        read_only_fields = ("id", "username", "created_at")


class MemberAddSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)


class CreatorSerializer(serializers.ModelSerializer):
    has_cart_permission = serializers.BooleanField(read_only=True)

    class Meta:
        model = Creator
        fields = (
            "id",
            "douyin_id",
            *CREATOR_PROFILE_FIELDS,
            *ACCOUNT_FACT_FIELDS,
            "has_cart_permission",
            "cart_permission_granted_at",
            "eligibility_checked_at",
        )
        # The account facts come from Douyin (POST eligibility/ refreshes them).
        read_only_fields = (
            "id",
            "douyin_id",
            *ACCOUNT_FACT_FIELDS,
            "cart_permission_granted_at",
            "eligibility_checked_at",
        )


class EligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    unmet = serializers.ListField(child=serializers.CharField())


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    context = serializers.DictField()
    shops = serializers.ListField(child=serializers.DictField())
    creator = CreatorSerializer(allow_null=True)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    name = serializers.CharField(max_length=40, required=False, allow_blank=True)


class TokenSerializer(serializers.Serializer):
    """A new token: `token` is shown this once and never stored."""

    token = serializers.CharField()
    expiry = serializers.DateTimeField(allow_null=True)
