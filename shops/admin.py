"""Shops, their members and creators in /admin/. Members are added, re-roled and removed
through the same services as the console's 成员 page (a shop always keeps a 店主)."""

from django import forms
from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin

from . import services
from .accounts import ACCOUNT_FACT_FIELDS
from .models import AccountChangeSource, Creator, CreatorAccountChange, Membership, Shop
from .roles import Role
from .tenancy import staff_context


class MembershipForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A member is re-roled or removed, never turned into another user.
            self.fields["user"].disabled = True


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Shop)
class ShopAdmin(ServiceAdmin):
    list_display = ("id", "name", "slug", "status", "ship_within_hours", "created_at")
    list_filter = ("status",)
    search_fields = ("name", "slug")
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        context = staff_context(user=request.user, shop=form.instance)
        formset.save(commit=False)  # sorts the rows into new, changed and deleted
        # Additions and promotions first, removals last, so the services' guard (at least
        # one 店主) judges the shop as the operator means to leave it.
        for membership in formset.new_objects:
            services.member_add(
                context=context, username=membership.user.get_username(), role=membership.role
            )
        changed = sorted(formset.changed_objects, key=lambda pair: pair[0].role != Role.OWNER)
        for membership, _fields in changed:
            services.member_change_role(
                context=context, membership_id=membership.pk, role=membership.role
            )
        for membership in formset.deleted_objects:
            services.member_remove(context=context, membership_id=membership.pk)


class AccountChangeInline(ReadOnlyInline):
    model = CreatorAccountChange
    fields = ("changed_at", "field", "old_value", "new_value", "source", "changed_by")


@admin.register(Creator)
class CreatorAdmin(ServiceAdmin):
    """Platform staff correct a creator's Douyin account facts here; the change goes
    through `creator_set_account_facts` (logged, with who) and re-checks the cart
    permission."""

    list_display = (
        "id",
        "nickname",
        "douyin_id",
        *ACCOUNT_FACT_FIELDS,
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
class CreatorAccountChangeAdmin(ReadOnlyAdmin):
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
