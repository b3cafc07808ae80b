from django.contrib import admin

from .models import Creator, Membership, Shop


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "slug", "status", "ship_within_hours", "created_at")
    list_filter = ("status",)
    search_fields = ("name", "slug")
    inlines = [MembershipInline]


@admin.register(Creator)
class CreatorAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "nickname",
        "douyin_id",
        "followers",
        "public_original_videos",
        "phone_bound",
        "real_name_verified",
        "cart_permission_granted_at",
    )
    search_fields = ("nickname", "douyin_id", "user__username")
    raw_id_fields = ("user",)
