"""The creator showcase (商品橱窗): its items from every source, categories, blocked 类目."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from products.models import ProductStatus

from ..sources import INTERNAL_SOURCES, Source
from .offers import AllianceOffer

# Sorted, so the migration's constraint does not change with set order.
INTERNAL_SOURCE_VALUES = sorted(s.value for s in INTERNAL_SOURCES)


class BlockedCategory(models.Model):
    """A 淘宝/天猫 category creators may not add (e.g. 医疗器械). Edited by operators in
    /admin/; blocking a category also blocks everything below it ("医疗器械/…")."""

    name = models.CharField(_("类目"), max_length=60, unique=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("淘宝禁推类目")
        verbose_name_plural = _("淘宝禁推类目")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ShowcaseCategory(models.Model):
    """A creator's own grouping of showcase items (分类), shown as tabs to buyers."""

    CREATOR_FIELD = "creator_id"

    creator = models.ForeignKey(
        "shops.Creator", on_delete=models.CASCADE, related_name="showcase_categories"
    )
    name = models.CharField(_("分类名称"), max_length=12)
    position = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("橱窗分类")
        verbose_name_plural = _("橱窗分类")
        ordering = ["creator_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "name"],
                name="showcasecategory_creator_name_uniq",
                violation_error_message=_("已有同名分类。"),
            )
        ]

    def __str__(self):
        return self.name


class ShowcaseItem(models.Model):
    """One product in a creator's 商品橱窗, from any source.

    Internal items (小店, 精选联盟) point at the product and show its live price and
    stock; external items keep what the network told us when they were added.
    """

    CREATOR_FIELD = "creator_id"

    creator = models.ForeignKey(
        "shops.Creator", on_delete=models.CASCADE, related_name="showcase_items"
    )
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="showcase_items",
        verbose_name=_("商品"),
    )
    offer = models.ForeignKey(
        AllianceOffer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="showcase_items",
        verbose_name=_("精选联盟商品"),
    )
    external_item_id = models.CharField(_("外部商品ID"), max_length=40, blank=True)
    title = models.CharField(_("商品名称"), max_length=120, blank=True)
    price_fen = models.PositiveIntegerField(_("价格（分）"), null=True, blank=True)
    image_url = models.URLField(_("图片"), max_length=500, blank=True)
    shop_name = models.CharField(_("店铺"), max_length=60, blank=True)
    # The commission rate when the item was added; later offer changes do not touch it.
    rate_bp = models.PositiveIntegerField(_("佣金率（万分比）"), default=0)
    category = models.ForeignKey(
        ShowcaseCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("分类"),
    )
    recommended = models.BooleanField(_("推荐"), default=False)
    is_new = models.BooleanField(_("上新"), default=False)
    position = models.PositiveIntegerField(_("顺序"), default=0)
    added_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("橱窗商品")
        verbose_name_plural = _("橱窗商品")
        ordering = ["creator_id", "-recommended", "position", "id"]
        indexes = [
            models.Index(
                fields=["creator", "-recommended", "position"], name="showcaseitem_order_idx"
            ),
            models.Index(fields=["creator", "category"], name="showcaseitem_category_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "product"],
                condition=Q(product__isnull=False),
                name="showcaseitem_creator_product_uniq",
                violation_error_message=_("该商品已在橱窗中。"),
            ),
            models.UniqueConstraint(
                fields=["creator", "source", "external_item_id"],
                condition=~Q(external_item_id=""),
                name="showcaseitem_creator_external_uniq",
                violation_error_message=_("该商品已在橱窗中。"),
            ),
            # Internal items have a product; external items an id from their network.
            models.CheckConstraint(
                condition=(
                    Q(source__in=INTERNAL_SOURCE_VALUES, product__isnull=False)
                    | (~Q(source__in=INTERNAL_SOURCE_VALUES) & ~Q(external_item_id=""))
                ),
                name="showcaseitem_source_target",
            ),
        ]

    def __str__(self):
        return self.display_title

    @property
    def is_internal(self) -> bool:
        return self.source in INTERNAL_SOURCES

    @property
    def display_title(self) -> str:
        return self.product.title if self.product_id else self.title

    @property
    def is_invalid(self) -> bool:
        """失效: the product left 在售, or the shop closed its 精选联盟 offer."""
        if self.product_id is None:
            return False
        if self.product.status != ProductStatus.ON_SALE:
            return True
        return self.offer_id is not None and not self.offer.is_active()
