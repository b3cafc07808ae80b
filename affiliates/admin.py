from django.contrib import admin

from core.admin import ReadOnlyInline

from .models import (
    AllianceOffer,
    AllianceOfferEvent,
    AllianceRate,
    BlockedCategory,
    LiveItem,
    LiveSession,
    ShowcaseItem,
    Video,
    VideoItem,
)


@admin.register(BlockedCategory)
class BlockedCategoryAdmin(admin.ModelAdmin):
    """Operators keep the 淘宝/天猫 blocked-category list here; the quality gate reads it."""

    list_display = ("name", "reason", "created_at")
    search_fields = ("name",)


class AllianceRateInline(ReadOnlyInline):
    model = AllianceRate
    fields = ("rate_bp", "effective_from", "set_by")


class AllianceOfferEventInline(ReadOnlyInline):
    model = AllianceOfferEvent
    fields = ("from_status", "to_status", "actor", "created_at")


@admin.register(AllianceOffer)
class AllianceOfferAdmin(admin.ModelAdmin):
    list_display = ("id", "product", "shop", "rate_bp", "status", "starts_on", "ends_on")
    list_filter = ("status",)
    search_fields = ("product__title", "shop__name")
    raw_id_fields = ("product", "shop")
    # Rates change only through the merchant's console (it records the history).
    readonly_fields = ("rate_bp",)
    inlines = [AllianceRateInline, AllianceOfferEventInline]


@admin.register(ShowcaseItem)
class ShowcaseItemAdmin(admin.ModelAdmin):
    list_display = ("id", "creator", "source", "__str__", "rate_bp", "recommended", "added_at")
    list_filter = ("source", "recommended")
    search_fields = ("creator__nickname", "title", "product__title", "external_item_id")
    raw_id_fields = ("creator", "product", "offer", "category")


class VideoItemInline(admin.TabularInline):
    model = VideoItem
    extra = 0
    raw_id_fields = ("item",)


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
    list_display = ("id", "creator", "title", "douyin_video_id", "published_at")
    search_fields = ("title", "douyin_video_id", "creator__nickname")
    raw_id_fields = ("creator",)
    inlines = [VideoItemInline]


class LiveItemInline(admin.TabularInline):
    model = LiveItem
    extra = 0
    raw_id_fields = ("item",)


@admin.register(LiveSession)
class LiveSessionAdmin(admin.ModelAdmin):
    list_display = ("id", "creator", "title", "starts_at", "ends_at")
    search_fields = ("title", "creator__nickname")
    raw_id_fields = ("creator",)
    inlines = [LiveItemInline]


from .ledger import admin as ledger_admin  # noqa: E402, F401  (money: registers its models)
