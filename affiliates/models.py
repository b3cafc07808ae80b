"""精选联盟 offers, the creator showcase (商品橱窗) and its video and live carts."""

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Event
from products.models import ProductStatus
from shops.fields import actor_field

from .sources import INTERNAL_SOURCES, Source

MIN_RATE_BP = 100  # 1%
MAX_RATE_BP = 9000  # 90%
VIDEO_MAX_ITEMS = 7
# Sorted, so the migration's constraint does not change with set order.
INTERNAL_SOURCE_VALUES = sorted(s.value for s in INTERNAL_SOURCES)

rate_validators = [
    MinValueValidator(MIN_RATE_BP, _("佣金率不能低于 1%%。")),
    MaxValueValidator(MAX_RATE_BP, _("佣金率不能高于 90%%。")),
]


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


class OfferStatus(models.IntegerChoices):
    OPEN = 1, _("推广中")
    CLOSED = 2, _("已关闭")


class AllianceOffer(models.Model):
    """A product a shop opened to 精选联盟 creators for a commission."""

    SHOP_FIELD = "shop_id"

    # Denormalised from product: merchant lists filter by shop without a join.
    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="alliance_offers")
    product = models.OneToOneField(
        "products.Product",
        on_delete=models.CASCADE,
        related_name="alliance_offer",
        verbose_name=_("商品"),
    )
    # The rate for new orders; the history is in AllianceRate.
    rate_bp = models.PositiveIntegerField(_("佣金率（万分比）"), validators=rate_validators)
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    status = models.PositiveSmallIntegerField(
        _("状态"), choices=OfferStatus.choices, default=OfferStatus.OPEN
    )
    opened_at = models.DateTimeField(_("开放时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("精选联盟商品")
        verbose_name_plural = _("精选联盟商品")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["shop", "status"], name="offer_shop_status_idx"),
            models.Index(fields=["status", "-rate_bp"], name="offer_status_rate_idx"),
            models.Index(fields=["status", "-opened_at"], name="offer_status_opened_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_bp__gte=MIN_RATE_BP) & Q(rate_bp__lte=MAX_RATE_BP),
                name="offer_rate_bp_range",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="offer_dates_order",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.product} · {self.rate_bp / 100:g}%"

    def is_active(self, today=None) -> bool:
        """Creators can pick it now: open, within its dates, product on sale."""
        today = today or timezone.localdate()
        return (
            self.status == OfferStatus.OPEN
            and (self.starts_on is None or self.starts_on <= today)
            and (self.ends_on is None or self.ends_on >= today)
            and self.product.status == ProductStatus.ON_SALE
        )


class AllianceRate(models.Model):
    """The offer's rate from `effective_from` on: a change applies to orders placed after
    it, so the rate of an order is the latest row at or before its time."""

    SHOP_FIELD = "offer__shop_id"

    offer = models.ForeignKey(AllianceOffer, on_delete=models.CASCADE, related_name="rates")
    rate_bp = models.PositiveIntegerField(_("佣金率（万分比）"), validators=rate_validators)
    effective_from = models.DateTimeField(_("生效时间"), default=timezone.now)
    set_by = actor_field(_("操作人"))

    class Meta:
        verbose_name = _("佣金率记录")
        verbose_name_plural = _("佣金率记录")
        ordering = ["offer_id", "-effective_from", "-id"]
        indexes = [
            models.Index(fields=["offer", "-effective_from"], name="alliancerate_offer_from_idx"),
        ]

    def __str__(self):
        return f"{self.rate_bp / 100:g}% @ {self.effective_from:%Y-%m-%d %H:%M}"


class AllianceOfferEvent(Event):
    """Who opened, closed or reopened an offer, and when."""

    SHOP_FIELD = "offer__shop_id"

    offer = models.ForeignKey(AllianceOffer, on_delete=models.CASCADE, related_name="events")
    from_status = models.PositiveSmallIntegerField(
        _("原状态"), choices=OfferStatus.choices, null=True, blank=True
    )
    to_status = models.PositiveSmallIntegerField(_("新状态"), choices=OfferStatus.choices)

    class Meta:
        verbose_name = _("精选联盟状态记录")
        verbose_name_plural = _("精选联盟状态记录")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


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


class Video(models.Model):
    """A published short video and its 视频购物车 (at most VIDEO_MAX_ITEMS items)."""

    CREATOR_FIELD = "creator_id"

    creator = models.ForeignKey("shops.Creator", on_delete=models.CASCADE, related_name="videos")
    title = models.CharField(_("视频标题"), max_length=60)
    douyin_video_id = models.CharField(_("抖音视频ID"), max_length=32)
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("视频")
        verbose_name_plural = _("视频")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["creator", "-published_at"], name="video_creator_published_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "douyin_video_id"],
                name="video_creator_douyin_id_uniq",
                violation_error_message=_("该抖音视频ID已添加。"),
            )
        ]

    def __str__(self):
        return self.title


class VideoItem(models.Model):
    CREATOR_FIELD = "video__creator_id"

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(ShowcaseItem, on_delete=models.CASCADE, related_name="video_links")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    added_at = models.DateTimeField(_("挂车时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("视频购物车商品")
        verbose_name_plural = _("视频购物车商品")
        ordering = ["video_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["video", "item"],
                name="videoitem_video_item_uniq",
                violation_error_message=_("该商品已挂在这个视频上。"),
            )
        ]

    def __str__(self):
        return f"{self.video_id} · {self.item_id}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class LiveSession(models.Model):
    """A live broadcast and its 直播购物车."""

    CREATOR_FIELD = "creator_id"

    creator = models.ForeignKey(
        "shops.Creator", on_delete=models.CASCADE, related_name="live_sessions"
    )
    title = models.CharField(_("直播标题"), max_length=60)
    starts_at = models.DateTimeField(_("开播时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # The credential of the order overlay (/live/<token>/feed/, affiliates.live_feed):
    # random, not derived from the id, so rotating it kills every copy of the old link.
    feed_token = models.CharField(
        _("实时订单链接令牌"), max_length=43, unique=True, default=new_feed_token, editable=False
    )

    class Meta:
        verbose_name = _("直播")
        verbose_name_plural = _("直播")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["creator", "-starts_at"], name="live_creator_starts_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="live_ends_after_start",
                violation_error_message=_("结束时间必须晚于开播时间。"),
            )
        ]

    def __str__(self):
        return self.title

    @property
    def phase(self) -> str:
        now = timezone.now()
        if now < self.starts_at:
            return str(_("未开播"))
        if now < self.ends_at:
            return str(_("直播中"))
        return str(_("已结束"))


class LiveItem(models.Model):
    CREATOR_FIELD = "session__creator_id"

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(ShowcaseItem, on_delete=models.CASCADE, related_name="live_links")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    is_explaining = models.BooleanField(_("正在讲解"), default=False)
    explaining_since = models.DateTimeField(_("开始讲解"), null=True, blank=True)
    added_at = models.DateTimeField(_("上架时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("直播购物车商品")
        verbose_name_plural = _("直播购物车商品")
        ordering = ["session_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "item"],
                name="liveitem_session_item_uniq",
                violation_error_message=_("该商品已在直播购物车中。"),
            ),
            # The database itself keeps "one 正在讲解 per live", whatever the code does.
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(is_explaining=True),
                name="liveitem_one_explaining",
            ),
        ]

    def __str__(self):
        return f"{self.session_id} · {self.item_id}"


# Money (commission ledger, withdrawals, shop settlement) lives in its own module.
from .ledger.models import (  # noqa: E402, F401
    Commission,
    LedgerEntry,
    PlatformFeeRate,
    ShopSettlement,
    Withdrawal,
)
