"""精选联盟 and creators' carts in /admin/. An offer's status changes only through its
actions and its rate only through `alliance_offer_update` (which records the rate
history); cart items are added and removed through the cart services (the video's
7-item limit, the cart row lock)."""

from django import forms
from django.contrib import admin
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyInline, ServiceAdmin
from shops.tenancy import staff_context

from . import services
from .carts.kinds import LIVE_CART, VIDEO_CART, Cart
from .carts.services import cart_add_item, cart_remove_item
from .exceptions import CartError
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
class AllianceOfferAdmin(ServiceAdmin):
    """精选联盟 offers: a save changes the rate or dates through the offer service (rate
    history); the status moves only through the close / reopen actions."""

    list_display = ("id", "product", "shop", "rate_bp", "status", "starts_on", "ends_on")
    list_filter = ("status",)
    list_select_related = ("product", "shop")
    search_fields = ("product__title", "shop__name")
    fields = ("product", "shop", "status", "rate_bp", "starts_on", "ends_on", "opened_at")
    # Merchants open offers in the console; the status moves only through the actions.
    readonly_fields = ("product", "shop", "status", "opened_at")
    inlines = [AllianceRateInline, AllianceOfferEventInline]
    actions = ["close", "reopen"]
    done_message = _("已处理 %(n)s 个推广商品。")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.alliance_offer_update(
            context=staff_context(user=request.user, shop=obj.shop),
            offer_id=obj.pk,
            rate_bp=obj.rate_bp,
            starts_on=obj.starts_on,
            ends_on=obj.ends_on,
        )

    @admin.action(description=_("结束推广"))
    def close(self, request, queryset):
        self._as_shop(
            request,
            queryset,
            lambda o, context: services.alliance_offer_close(context=context, offer_id=o.pk),
        )

    @admin.action(description=_("重新推广（按当前佣金率）"))
    def reopen(self, request, queryset):
        def reopen(offer, context):
            services.alliance_offer_open(
                context=context,
                product_id=offer.product_id,
                rate_bp=offer.rate_bp,
                starts_on=offer.starts_on,
                ends_on=offer.ends_on,
            )

        self._as_shop(request, queryset, reopen)

    def _as_shop(self, request, queryset, apply):
        """`apply(offer, context)` on each offer, as staff acting for the offer's shop."""
        self.apply_each(
            request,
            queryset.select_related("shop"),
            lambda offer: apply(offer, staff_context(user=request.user, shop=offer.shop)),
        )


@admin.register(ShowcaseItem)
class ShowcaseItemAdmin(admin.ModelAdmin):
    list_display = ("id", "creator", "source", "__str__", "rate_bp", "recommended", "added_at")
    list_filter = ("source", "recommended")
    search_fields = ("creator__nickname", "title", "product__title", "external_item_id")
    raw_id_fields = ("creator", "product", "offer", "category")


class CartLinkForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # An item in the cart is removed, never swapped for another in place.
            self.fields["item"].disabled = True


class CartAdmin(ServiceAdmin):
    """A video or a live session with its cart inline; the inline's rows are added and
    removed by the cart services, acting as the cart's creator."""

    cart: Cart
    raw_id_fields = ("creator",)

    def get_readonly_fields(self, request, obj=None):
        # The cart's items come from its creator's showcase: the creator stays.
        return ("creator",) if obj else ()

    def save_formset(self, request, form, formset, change):
        if formset.model is not self.cart.link_model:
            return super().save_formset(request, form, formset, change)
        row = form.instance
        context = staff_context(user=request.user, creator=row.creator)
        formset.save(commit=False)  # sorts the rows into new and deleted
        try:
            # Removals first: they make room under the video's limit.
            for link in formset.deleted_objects:
                cart_remove_item(
                    cart=self.cart, context=context, cart_id=row.pk, item_id=link.item_id
                )
            for link in formset.new_objects:
                cart_add_item(cart=self.cart, context=context, cart_id=row.pk, item_id=link.item_id)
        except Http404 as exc:
            raise CartError(_("只能挂这位达人橱窗里的商品。")) from exc


class VideoItemInline(admin.TabularInline):
    model = VideoItem
    form = CartLinkForm
    extra = 0
    fields = ("item", "position", "added_at")
    readonly_fields = ("position", "added_at")
    raw_id_fields = ("item",)


@admin.register(Video)
class VideoAdmin(CartAdmin):
    cart = VIDEO_CART
    list_display = ("id", "creator", "title", "douyin_video_id", "published_at")
    search_fields = ("title", "douyin_video_id", "creator__nickname")
    inlines = [VideoItemInline]


class LiveItemInline(admin.TabularInline):
    model = LiveItem
    form = CartLinkForm
    extra = 0
    fields = ("item", "position", "is_explaining", "explaining_since")
    # 正在讲解 moves only through live_set_explaining (the session row lock).
    readonly_fields = ("position", "is_explaining", "explaining_since")
    raw_id_fields = ("item",)


@admin.register(LiveSession)
class LiveSessionAdmin(CartAdmin):
    cart = LIVE_CART
    list_display = ("id", "creator", "title", "starts_at", "ends_at")
    search_fields = ("title", "creator__nickname")
    inlines = [LiveItemInline]


from .ledger import admin as ledger_admin  # noqa: E402, F401  (money: registers its models)
