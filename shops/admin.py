from django.contrib import admin

from . import services
from .accounts import ACCOUNT_FACT_FIELDS
from .models import AccountChangeSource, Creator, CreatorAccountChange, Membership, Shop


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


class AccountChangeInline(admin.TabularInline):
    model = CreatorAccountChange
    extra = 0
    fields = readonly_fields = (
        "changed_at",
        "field",
        "old_value",
        "new_value",
        "source",
        "changed_by",
    )
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Creator)
class CreatorAdmin(admin.ModelAdmin):
    """Platform staff correct a creator's Douyin account facts here; the change goes
    through `creator_set_account_facts` (logged, with who) and re-checks the cart
    permission."""

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
    readonly_fields = ("cart_permission_granted_at", "eligibility_checked_at")
    inlines = [AccountChangeInline]

    def save_model(self, request, obj, form, change):
        facts = {name: getattr(obj, name) for name in ACCOUNT_FACT_FIELDS}
        # The facts are written by the service, which logs them, never by this save.
        stored = Creator.objects.filter(pk=obj.pk).values(*ACCOUNT_FACT_FIELDS).first() or {}
        for name in ACCOUNT_FACT_FIELDS:
            setattr(obj, name, stored.get(name, Creator._meta.get_field(name).get_default()))
        super().save_model(request, obj, form, change)
        services.creator_set_account_facts(
            creator=obj, facts=facts, source=AccountChangeSource.STAFF, changed_by=request.user
        )
        services.creator_check_eligibility(creator=obj)
        obj.refresh_from_db()


@admin.register(CreatorAccountChange)
class CreatorAccountChangeAdmin(admin.ModelAdmin):
    """The log of account-fact changes: read-only."""

    list_display = (
        "changed_at",
        "creator",
        "field",
        "old_value",
        "new_value",
        "source",
        "changed_by",
    )
    list_filter = ("source", "field")
    search_fields = ("creator__nickname", "creator__douyin_id", "changed_by__username")
    list_select_related = ("creator", "changed_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
