"""Platform staff's view of every shop's catalogue. Bans (违规下架) happen here, through
the same service the console uses, with a reason the merchant sees."""

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ActionForm
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin

from . import services
from .models import Category, Product, ProductStatusEvent, Sku, StockMove


class BanActionForm(ActionForm):
    ban_reason = forms.CharField(label=_("违规原因"), required=False, max_length=200)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("id", "__str__", "sort_order")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name",)


class SkuInline(ReadOnlyInline):
    """Prices and stock change in the console (stock through its moves), not here."""

    model = Sku
    fields = ("spec_text", "outer_code", "price_fen", "stock", "is_active")


class StatusEventInline(ReadOnlyInline):
    model = ProductStatusEvent
    fields = ("created_at", "from_status", "to_status", "actor", "reason")


@admin.register(Product)
class ProductAdmin(ServiceAdmin):
    list_display = ("id", "title", "shop", "category", "status", "ban_reason", "updated_at")
    list_filter = ("status", "shop")
    search_fields = ("title", "=id", "skus__outer_code")
    list_select_related = ("shop", "category__parent")
    readonly_fields = ("status", "ban_reason", "sales_count", "created_at", "updated_at")
    raw_id_fields = ("shop",)
    inlines = [SkuInline, StatusEventInline]
    action_form = BanActionForm
    actions = ["ban", "unban"]
    done_message = _("已处理 %(n)s 个商品。")

    @admin.action(description=_("违规下架（填写违规原因）"))
    def ban(self, request, queryset):
        reason = request.POST.get("ban_reason", "")
        self.apply_each(
            request,
            queryset,
            lambda p: services.product_ban(product_id=p.pk, actor=request.user, reason=reason),
        )

    @admin.action(description=_("解除违规（恢复为已下架）"))
    def unban(self, request, queryset):
        self.apply_each(
            request, queryset, lambda p: services.product_unban(product_id=p.pk, actor=request.user)
        )


@admin.register(StockMove)
class StockMoveAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "sku", "reason", "delta", "balance_after", "actor", "text")
    list_filter = ("reason",)
    list_select_related = ("sku__product", "actor")
    raw_id_fields = ("sku", "actor")
